import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSse, type SseStream } from './sse.ts';
import { readSse } from './sse-reader.ts';

let app: FastifyInstance;
let base: string;
let script: (stream: SseStream) => void;

beforeAll(async () => {
  app = Fastify();
  app.get('/stream', async (request, reply) => {
    script(openSse(request, reply));
    return reply;
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
});
afterAll(() => app?.close());

async function received(run: (stream: SseStream) => void) {
  script = run;
  const response = await fetch(`${base}/stream`);
  const events: string[] = [];
  for await (const event of readSse(response.body!)) events.push(`${event.event}:${event.data}`);
  return events;
}

describe('openSse', () => {
  it('holds events back while paused and sends them, in order, on resume', async () => {
    expect(
      await received((stream) => {
        stream.send({ data: 'a' });
        stream.pause();
        stream.send({ data: 'b' });
        let drained = false;
        void stream.drained().then(() => (drained = true));
        queueMicrotask(() => {
          // drained() waits for the resume
          if (drained) stream.send({ data: 'drained too early' });
          stream.resume();
          stream.send({ data: 'c' });
          stream.close();
        });
      }),
    ).toEqual(['message:a', 'message:b', 'message:c']);
  });

  it('ends with a last word, dropping what was held back', async () => {
    expect(
      await received((stream) => {
        stream.send({ data: 'a' });
        stream.pause();
        stream.send({ data: 'held' });
        stream.end({ event: 'end', data: 'access revoked' });
        stream.send({ data: 'after the end' });
      }),
    ).toEqual(['message:a', 'end:access revoked']);
  });
});
