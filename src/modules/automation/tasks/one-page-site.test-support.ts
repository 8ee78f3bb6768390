import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One HTML page served on 127.0.0.1 at every path (tests only). */
export interface OnePageSite {
  url: string;
  close(): Promise<void>;
}

export async function startOnePageSite(html: string): Promise<OnePageSite> {
  const server = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end(html));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
