import type { FastifyReply, FastifyRequest } from 'fastify';
import { requireRouteAccess } from './route-auth.ts';
import type { HttpApp } from './server.ts';
import type { SseMessage, SseStream } from './sse-stream.ts';
import type { StreamAccess } from './stream-guard.ts';

export type { SseMessage, SseStream } from './sse-stream.ts';

export interface SseOptions {
  /** A comment line this often keeps proxies from closing an idle stream (default 15 s). */
  heartbeatMs?: number;
  /**
   * What may wait in memory for a slow client beyond the socket's own buffer. On overflow the
   * queue is dropped and the stream's `onOverflow` runs: the owner re-reads from its store once
   * `drained()` resolves (or closes the stream so the client reconnects with Last-Event-ID).
   */
  maxBufferedBytes?: number;
  /** The reconnection delay the client is told to use. */
  retryMs?: number;
}

/** True when the client asked for an event stream (EventSource always does). */
export function wantsEventStream(request: FastifyRequest) {
  return (request.headers.accept ?? '').includes('text/event-stream');
}

/** The `Last-Event-ID` header (a reconnecting EventSource sends it), if any. */
export function lastEventId(request: FastifyRequest): string | undefined {
  const value = request.headers['last-event-id'];
  return typeof value === 'string' && value.trim() ? value.trim() : undefined;
}

export function formatSse(message: SseMessage): string {
  let out = '';
  if (message.id !== undefined) out += `id: ${message.id}\n`;
  if (message.event) out += `event: ${message.event}\n`;
  for (const line of message.data.split(/\r\n|\r|\n/)) out += `data: ${line}\n`;
  return `${out}\n`;
}

/**
 * Tracks open streams of one HTTP app so that closing the app ends them (an open response would
 * otherwise keep `server.close()` waiting forever), and hands each to the app's stream guard,
 * which ends it once its opener loses access. Call once while registering routes.
 */
export function createSseHub(app: HttpApp, hooks: { opened?: () => void; closed?: () => void } = {}) {
  const open = new Set<SseStream>();
  app.addHook('preClose', async () => {
    const streams = [...open];
    for (const stream of streams) stream.close();
    // A client that stopped reading must not hold the shutdown up.
    await new Promise((resolve) => setTimeout(resolve, open.size ? 500 : 0));
    for (const stream of streams) stream.destroy();
  });
  return {
    get size() {
      return open.size;
    },
    /**
     * `access` says what the stream needs to go on (the project it shows and the route's check);
     * every authenticated stream is re-checked when its opener's access may have shrunk.
     */
    open(
      request: FastifyRequest,
      reply: FastifyReply,
      access: StreamAccess,
      options: SseOptions = {},
    ): SseStream {
      const actor = request.actor;
      const config = request.routeOptions.config ?? {};
      const method = request.method;
      const url = request.routeOptions.url ?? '';
      const stream = openSse(request, reply, options);
      if (actor)
        app.streamGuard?.watch(
          stream,
          actor,
          access,
          (fresh) => requireRouteAccess(fresh, config, method, url),
          reply.elapsedTime,
        );
      open.add(stream);
      hooks.opened?.();
      stream.signal.addEventListener('abort', () => {
        open.delete(stream);
        hooks.closed?.();
      });
      return stream;
    },
  };
}

/** Takes over the response and turns it into an event stream with heartbeats and bounded buffering. */
export function openSse(request: FastifyRequest, reply: FastifyReply, options: SseOptions = {}): SseStream {
  const maxBuffered = options.maxBufferedBytes ?? 512 * 1024;
  const raw = reply.raw;
  const controller = new AbortController();
  let queue: Array<{ chunk: string; id?: string | number }> = [];
  let lastSentId: string | number | undefined;
  let queuedBytes = 0;
  // `waiting`: the socket's buffer is full; `paused`: the owner holds events back.
  let waiting = false;
  let paused = false;
  let drainWaiters: Array<() => void> = [];

  reply.hijack();
  const headers: Record<string, string | number | string[]> = {};
  for (const [name, value] of Object.entries(reply.getHeaders()))
    if (value !== undefined) headers[name] = value;
  raw.writeHead(200, {
    ...headers,
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache, no-transform',
    connection: 'keep-alive',
    'x-accel-buffering': 'no',
  });
  request.raw.socket?.setNoDelay(true);
  raw.write(`retry: ${options.retryMs ?? 2000}\n\n`);

  const settle = () => {
    if ((waiting || paused) && !controller.signal.aborted) return;
    const waiters = drainWaiters;
    drainWaiters = [];
    for (const resolve of waiters) resolve();
  };
  const pump = () => {
    waiting = false;
    if (paused) return;
    while (queue.length && !controller.signal.aborted) {
      const { chunk, id } = queue.shift()!;
      queuedBytes -= Buffer.byteLength(chunk);
      if (id !== undefined) lastSentId = id;
      if (!raw.write(chunk)) {
        waiting = true;
        raw.once('drain', pump);
        return;
      }
    }
    settle();
  };
  const write = (chunk: string, id?: string | number): boolean => {
    if (controller.signal.aborted) return false;
    if (!waiting && !paused) {
      if (id !== undefined) lastSentId = id;
      if (!raw.write(chunk)) {
        waiting = true;
        raw.once('drain', pump);
      }
      return true;
    }
    queue.push({ chunk, id });
    queuedBytes += Buffer.byteLength(chunk);
    if (queuedBytes <= maxBuffered) return true;
    queue = [];
    queuedBytes = 0;
    stream.onOverflow?.(lastSentId);
    return false;
  };

  const heartbeat = setInterval(() => {
    if (!waiting && !paused) write(': ping\n\n');
  }, options.heartbeatMs ?? 15_000);

  const finish = () => {
    if (controller.signal.aborted) return;
    clearInterval(heartbeat);
    queue = [];
    controller.abort();
    settle();
  };
  raw.once('close', finish);

  const stream: SseStream = {
    send: (message) => write(formatSse(message), message.id),
    drained: () =>
      (!waiting && !paused) || controller.signal.aborted
        ? Promise.resolve()
        : new Promise((r) => drainWaiters.push(r)),
    close() {
      if (controller.signal.aborted) return;
      // Let what is queued go out first, then end the response.
      const end = () => {
        finish();
        raw.end();
      };
      if (waiting || paused) drainWaiters.push(end);
      else end();
    },
    end(message) {
      if (controller.signal.aborted) return;
      queue = [];
      queuedBytes = 0;
      paused = false;
      raw.write(formatSse(message));
      finish();
      raw.end();
      // A client that stopped reading must not keep the socket forever.
      const timer = setTimeout(() => raw.destroy(), 10_000);
      timer.unref();
      raw.once('close', () => clearTimeout(timer));
    },
    pause() {
      paused = true;
    },
    resume() {
      if (!paused) return;
      paused = false;
      if (!waiting) pump();
    },
    destroy() {
      finish();
      raw.destroy();
    },
    get closed() {
      return controller.signal.aborted;
    },
    signal: controller.signal,
  };
  return stream;
}
