import http from 'node:http';
import { createServer } from 'node:net';
import type { MachineCheck } from './machine-check.ts';

/** Whether something listens on host:port, found by trying to listen there ourselves. */
function portInUse(port: number, host: string): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', (error: NodeJS.ErrnoException) =>
      error.code === 'EADDRINUSE' ? resolve(true) : reject(error),
    );
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve(false)));
  });
}

/** An Orchard answers `/ready` with its checks (database and migrations), whatever their state. */
export function servedByOrchard(port: number, host: string): Promise<boolean> {
  return new Promise((resolve) => {
    const done = (orchard: boolean) => {
      resolve(orchard);
      // Whatever answered, hang up: a program that is not HTTP may keep the connection open.
      request.destroy();
    };
    const request = http.get({ host, port, path: '/ready', agent: false, timeout: 3_000 }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        body += chunk;
        if (body.length > 64 * 1024) done(false);
      });
      response.on('end', () => {
        try {
          const parsed = JSON.parse(body) as { checks?: { database?: unknown } };
          done(typeof parsed.checks?.database === 'object');
        } catch {
          done(false);
        }
      });
      response.on('error', () => done(false));
    });
    request.on('timeout', () => done(false));
    request.on('error', () => done(false));
  });
}

/** What to do when another program holds the port Orchard is to listen on. */
export const freePortFix = (port: number) =>
  `Stop that program (see: ss -ltnp 'sport = :${port}'), or choose another port: ORCHARD_PORT=<port> or --port <port>`;

export const portCheck: MachineCheck = {
  id: 'port',
  title: 'HTTP port',
  timeoutMs: 5_000,
  async run(ctx) {
    const { port, host } = ctx.config;
    if (ctx.serving) return { status: 'ok', summary: `Orchard listens on ${host}:${port}` };
    if (port === 0) return { status: 'ok', summary: 'port 0: a free port is picked at start' };
    if (!(await portInUse(port, host))) return { status: 'ok', summary: `${host}:${port} is free` };
    if (await servedByOrchard(port, host))
      return { status: 'ok', summary: `${host}:${port} is already served by Orchard` };
    return {
      status: 'fail',
      summary: `${host}:${port} is used by another program: Orchard cannot listen there`,
      fix: freePortFix(port),
    };
  },
};
