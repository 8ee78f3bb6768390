import type { Command } from 'commander';
import { readSse, type SseEvent } from '../platform/http/sse-reader.ts';
import { configFor } from './load-config.ts';
import { CliError } from './run.ts';

/** A small HTTP client for CLI commands that talk to a running Orchard (`--url`, `--token`). */
export class OrchardClient {
  constructor(
    readonly url: string,
    readonly token: string,
  ) {}

  async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    let response: Response;
    try {
      response = await fetch(new URL(path, this.url), {
        method,
        headers: {
          authorization: `Bearer ${this.token}`,
          ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        },
        body: body !== undefined ? JSON.stringify(body) : undefined,
      });
    } catch (error) {
      throw new CliError(
        `Cannot reach Orchard at ${this.url} (${(error as Error).message}); is it running? (--url)`,
      );
    }
    const text = await response.text();
    const json = text ? JSON.parse(text) : undefined;
    if (!response.ok) throw new CliError(`${response.status} ${json?.detail ?? response.statusText}`);
    return json as T;
  }

  /** Opens an event stream; the caller reconnects with the last id it saw. */
  async stream(
    path: string,
    lastEventId: string | undefined,
    signal: AbortSignal,
  ): Promise<AsyncGenerator<SseEvent>> {
    const response = await fetch(new URL(path, this.url), {
      headers: {
        authorization: `Bearer ${this.token}`,
        accept: 'text/event-stream',
        ...(lastEventId ? { 'last-event-id': lastEventId } : {}),
      },
      signal,
    });
    if (!response.ok || !response.body) {
      const problem = await response.json().catch(() => undefined);
      throw new CliError(`${response.status} ${problem?.detail ?? response.statusText}`);
    }
    return readSse(response.body);
  }
}

export function addClientOptions(command: Command) {
  return command
    .option('--url <url>', 'the Orchard to talk to (ORCHARD_URL, default http://localhost:7300)')
    .option('--token <token>', 'API token (ORCHARD_TOKEN)');
}

export function clientFor(command: Command, opts: { url?: string; token?: string }): OrchardClient {
  const config = configFor(command, { url: opts.url, token: opts.token });
  if (!config.token) {
    throw new CliError(
      'An API token is needed: pass --token or set ORCHARD_TOKEN (orchard token create --user <name>).',
    );
  }
  return new OrchardClient(config.url, config.token);
}
