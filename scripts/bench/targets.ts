import { fork, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { targetArgv, type CompactionStats, type TargetCommand, type TargetMessage, type TargetSpec, type TargetStats } from './protocol.js';

const targetScript = path.join(path.dirname(fileURLToPath(import.meta.url)), 'target.js');

/** Every target process still alive, so exit and SIGINT can kill them. */
const live = new Set<ChildProcess>();

/** Kills every target process at once (synchronous: safe in an 'exit' handler). */
export function killAllTargets(): void {
  for (const child of live) child.kill('SIGKILL');
  live.clear();
}

/** A forked server under test. */
export class Target {
  #nextId = 1;
  readonly #waiting = new Map<number, (m: TargetMessage & { type: 'reply' }) => void>();

  private constructor(
    readonly child: ChildProcess,
    readonly port: number,
    /** From fork to listening (and, for the mock, its store loaded), ms. */
    readonly startMs: number,
    /** From fork to the first answer (GET /__admin/health), ms: the cold start a user waits for. */
    readonly firstAnswerMs: number,
  ) {
    child.on('message', (m: TargetMessage) => {
      if (m.type === 'reply') {
        this.#waiting.get(m.id)?.(m);
        this.#waiting.delete(m.id);
      }
    });
  }

  get origin(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Forks the target and waits until it listens (or fails, or takes longer than `timeoutMs`). */
  static start(spec: TargetSpec, timeoutMs = 30_000): Promise<Target> {
    // A default start logs at info level: to nowhere, as the bench's output is its report.
    const stdout = spec.kind === 'default' ? 'ignore' : 'inherit';
    const child = fork(targetScript, targetArgv(spec), { stdio: ['ignore', stdout, 'inherit', 'ipc'], execArgv: ['--expose-gc'] });
    const forkedAt = performance.now();
    live.add(child);
    child.once('exit', () => live.delete(child));
    return new Promise((resolve, reject) => {
      const fail = (why: string) => {
        clearTimeout(timer);
        child.kill('SIGKILL');
        reject(new Error(`target ${targetArgv(spec).join(' ')}: ${why}`));
      };
      const timer = setTimeout(() => fail(`not listening after ${timeoutMs} ms`), timeoutMs);
      child.once('exit', (code, signal) => fail(`exited before listening (code ${code}, signal ${signal})`));
      child.on('message', function onMessage(m: TargetMessage) {
        if (m.type === 'failed') fail(m.message);
        if (m.type !== 'ready') return;
        clearTimeout(timer);
        child.off('message', onMessage);
        child.removeAllListeners('exit');
        child.once('exit', () => live.delete(child));
        const startMs = performance.now() - forkedAt;
        firstAnswer(m.port).then(
          () => resolve(new Target(child, m.port, startMs, performance.now() - forkedAt)),
          (err: Error) => fail(`no first answer: ${err.message}`),
        );
      });
    });
  }

  #call(cmd: TargetCommand['cmd'], timeoutMs = 30_000, collect?: boolean): Promise<TargetMessage & { type: 'reply' }> {
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#waiting.delete(id);
        reject(new Error(`target did not answer ${cmd} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.#waiting.set(id, (m) => {
        clearTimeout(timer);
        resolve(m);
      });
      this.child.send({ id, cmd, ...(collect ? { collect } : {}) } satisfies TargetCommand);
    });
  }

  /** Starts the server-side CPU clock of a timed phase. */
  async mark(): Promise<void> {
    await this.#call('mark');
  }

  /**
   * The server's CPU time since the last mark, and its memory. With `collect` a full GC runs first
   * for the heap figure (after the CPU is read: the phase's CPU per request must not include it).
   * Phases leave it off: a forced full GC of a big heap leaves V8's sweeper threads busy for a
   * while after, and they would take the two cores from whatever is measured next.
   */
  async stats({ collect = false }: { collect?: boolean } = {}): Promise<TargetStats> {
    const reply = await this.#call('stats', 30_000, collect);
    return reply.stats!;
  }

  /** Writes a snapshot of the file store now; how long it took and the longest event-loop stall meanwhile. */
  async compact(): Promise<CompactionStats> {
    const reply = await this.#call('compact', 600_000);
    if (reply.error !== undefined) throw new Error(`compaction failed: ${reply.error}`);
    return reply.compaction!;
  }

  /** Stops the server gracefully (the store closes as on SIGTERM in production); resolves with how long it took, ms. */
  async close(): Promise<number> {
    const reply = await this.#call('close', 120_000);
    return reply.closeMs!;
  }

  /**
   * Ends the target process (SIGKILL: the mock, started as main() starts it, would close gracefully
   * on SIGTERM). Not a graceful close: the data directory is thrown away, and compacting a large
   * store on close would only cost seconds.
   */
  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.child.kill('SIGKILL');
    await exited;
  }
}

/** One plain GET of /__admin/health (node:http, nothing to load first), resolved on the whole answer. */
function firstAnswer(port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path: '/__admin/health', agent: false }, (res) => {
      res.resume();
      res.once('end', () => (res.statusCode === 200 ? resolve() : reject(new Error(`HTTP ${res.statusCode}`))));
    });
    req.once('error', reject);
  });
}
