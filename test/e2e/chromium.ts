import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { chromium, type Browser, type Page } from 'playwright-core';

/**
 * Debian's Chromium for browser tests (never a downloaded browser), launched headless with a
 * fresh profile; suites skip with a clear title where it is not installed.
 */

export const CHROMIUM = '/usr/bin/chromium';
export const haveChromium = existsSync(CHROMIUM);

/** The describe title: what runs, or why it is skipped. */
export function browserSuiteTitle(what: string): string {
  if (!haveChromium) console.warn(`browser tests skipped: ${CHROMIUM} not found; install Debian's chromium (apt-get install -y --no-install-recommends chromium)`);
  return haveChromium ? `${what} (Chromium)` : `${what}: SKIPPED, ${CHROMIUM} not found (apt-get install chromium)`;
}

const FLAGS = ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** Chromium with the flags above; Playwright gives every launch a fresh temporary user-data-dir. */
export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: FLAGS });
}

const axePath = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

/** axe-core's WCAG 2 A/AA violations on the current page (its rule ids and the offending nodes). */
export async function axeViolations(page: Page): Promise<{ id: string; nodes: string[] }[]> {
  await page.addScriptTag({ path: axePath });
  const result = (await page.evaluate(`axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } })`)) as {
    violations: { id: string; nodes: { target: string[] }[] }[];
  };
  return result.violations.map((v) => ({ id: v.id, nodes: v.nodes.map((n) => n.target.join(' ')) }));
}
