/**
 * The SSE side of `bench/queue.ts`, run as its own process so that parsing a thousand streams does
 * not share an event loop with the server it measures. Usage: <url> <token> <operationId> <clients>.
 * Prints `connected` once every stream is open, then one JSON line with delivery latencies.
 */
import { readSse } from '../src/platform/http/sse-reader.ts';
import { now, percentile } from './queue-support.ts';

const [url, token, id, count] = process.argv.slice(2);
const clients = Number(count);
const latencies: number[] = [];
let complete = 0;

async function follow(response: Response) {
  for await (const message of readSse(response.body!)) {
    const event = JSON.parse(message.data) as { type: string; data: { sentAt?: number } };
    if (event.type === 'tick' && event.data.sentAt) latencies.push(now() - event.data.sentAt);
    if (event.type === 'complete') break;
  }
  complete++;
}

const responses: Response[] = [];
for (let i = 0; i < clients; i += 100) {
  const batch = await Promise.all(
    Array.from({ length: Math.min(100, clients - i) }, () =>
      fetch(`${url}/api/operations/${id}/events`, {
        headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream' },
      }),
    ),
  );
  responses.push(...batch);
}
if (responses.some((r) => r.status !== 200)) throw new Error('an SSE client was refused');
const done = Promise.all(responses.map(follow));
process.stdout.write('connected\n');
await done;
process.stdout.write(
  `${JSON.stringify({ clients: complete, deliveries: latencies.length, p50: percentile(latencies, 50), p99: percentile(latencies, 99), max: Math.max(...latencies) })}\n`,
);
process.exit(0);
