import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { until } from '../../../../test/support/until.ts';
import {
  createUpstreamAgents,
  postUpstream,
  UpstreamRequestError,
  upstreamBase,
} from './upstream-request.ts';

let server: Server;
let base: string;
const connections: number[] = [];
const closed: string[] = [];
// Idle sockets are dropped after 100 ms here (4 s in Orchard), so the tests can see them go.
const agents = createUpstreamAgents({ idleSocketMs: 100 });

const routes: Record<string, (req: IncomingMessage, res: ServerResponse, body: string) => void> = {
  '/echo': (req, res, body) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ body, key: req.headers['x-api-key'], length: req.headers['content-length'] }));
  },
  '/gzip': (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
    res.end(gzipSync(JSON.stringify({ usage: { input_tokens: 3 } })));
  },
  // A long generation: nothing at all for a while, then the whole answer.
  '/slow': (_req, res) => {
    setTimeout(() => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"done":true}');
    }, 300);
  },
  // Headers never come.
  '/silent': () => undefined,
  // Headers and a first event, then nothing until the client leaves.
  '/stall': (_req, res) => {
    res.on('close', () => closed.push('/stall'));
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    res.write('event: ping\ndata: {}\n\n');
  },
};

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => routes[req.url ?? '']?.(req, res, body));
  });
  server.on('connection', (socket) => connections.push(socket.remotePort ?? 0));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  agents.close();
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

async function text(body: AsyncIterable<unknown>) {
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

const post = (path: string, options: { signal?: AbortSignal; headersTimeoutMs?: number } = {}) =>
  postUpstream(agents, upstreamBase(base)(path), {
    headers: { 'content-type': 'application/json', 'x-api-key': 'sk-upstream' },
    body: '{"model":"m"}',
    signal: options.signal ?? new AbortController().signal,
    ...(options.headersTimeoutMs ? { headersTimeoutMs: options.headersTimeoutMs } : {}),
  });

describe('requests to a provider', () => {
  it('sends the body with its length and keeps the connection for the next request', async () => {
    connections.length = 0;
    for (let i = 0; i < 3; i++) {
      const response = await post('/echo');
      expect(response.status).toBe(200);
      expect(JSON.parse(await text(response.body))).toEqual({
        body: '{"model":"m"}',
        key: 'sk-upstream',
        length: '13',
      });
    }
    expect(connections).toHaveLength(1);
  });

  it('waits for an answer longer than the idle timeout, and drops the connection once idle', async () => {
    const response = await post('/slow');
    expect(JSON.parse(await text(response.body))).toEqual({ done: true });
    await until(
      () => Object.values(agents.http.freeSockets).flat().length === 0,
      5_000,
      'the idle socket to be dropped',
    );
    connections.length = 0;
    await post('/echo').then((r) => text(r.body));
    expect(connections).toHaveLength(1);
  });

  it('hands on a compressed answer decompressed', async () => {
    const response = await post('/gzip');
    expect(JSON.parse(await text(response.body))).toEqual({ usage: { input_tokens: 3 } });
  });

  it('gives up on the headers after the timeout, saying so', async () => {
    const error = await post('/silent', { headersTimeoutMs: 100 }).catch((e) => e);
    expect(error).toBeInstanceOf(UpstreamRequestError);
    expect(error).toMatchObject({ kind: 'headers_timeout', message: 'no response headers within 100 ms' });
  });

  it('names the system error when the provider cannot be reached', async () => {
    const closedServer = createServer();
    await new Promise<void>((resolve) => closedServer.listen(0, '127.0.0.1', resolve));
    const port = (closedServer.address() as AddressInfo).port;
    await new Promise((resolve) => closedServer.close(resolve));
    const error = await postUpstream(agents, upstreamBase(`http://127.0.0.1:${port}`)('/v1/messages'), {
      headers: {},
      body: '{}',
      signal: new AbortController().signal,
    }).catch((e) => e);
    expect(error).toMatchObject({ kind: 'network', code: 'ECONNREFUSED' });
  });

  it('drops the exchange when the client leaves mid-answer', async () => {
    const leave = new AbortController();
    const response = await post('/stall', { signal: leave.signal });
    const first = await new Promise<string>((resolve) =>
      response.body.once('data', (c) => resolve(String(c))),
    );
    expect(first).toContain('event: ping');
    leave.abort();
    await until(() => closed.includes('/stall'), 5_000, 'the provider to see the connection close');
  });

  it('joins a base URL once parsed with each path: scheme, port and path prefix kept', () => {
    expect(upstreamBase('https://api.openai.com/v1/')('/chat/completions?x=1')).toEqual({
      secure: true,
      hostname: 'api.openai.com',
      port: 443,
      path: '/v1/chat/completions?x=1',
    });
    expect(upstreamBase('http://[::1]:8080')('/v1/messages')).toEqual({
      secure: false,
      hostname: '::1',
      port: 8080,
      path: '/v1/messages',
    });
  });
});
