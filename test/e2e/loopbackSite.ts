import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** A test web site on 127.0.0.1: its base URL and how to stop it. */
export interface LoopbackSite {
  url: string;
  close(): Promise<void>;
}

/**
 * Serves `route` on a free loopback port; a route that throws answers 500 with `describe(err)`
 * as plain text, so a browser test shows what failed. `onUrl` hears the base URL before the first
 * request can arrive (routes build absolute return URLs from it).
 */
export async function serveOnLoopback(
  route: (req: http.IncomingMessage, res: http.ServerResponse) => Promise<void>,
  { describe, onUrl }: { describe: (err: unknown) => string; onUrl: (url: string) => void },
): Promise<LoopbackSite> {
  const server = http.createServer((req, res) => {
    route(req, res).catch((err: unknown) => res.writeHead(500, { 'content-type': 'text/plain' }).end(describe(err)));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  onUrl(url);
  return {
    url,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
