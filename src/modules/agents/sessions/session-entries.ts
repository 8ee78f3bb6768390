/**
 * Agent events ↔ transcript entries. An entry keeps what a reader needs in `data` (long text cut
 * to a few KB) and, when something was cut, the whole event in the blob store — which is what a
 * resumed run reads back, so the conversation it continues is the one the model really had.
 */
import type { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import type { BlobStore } from '../../../platform/blobs/index.ts';
import type { AgentEvent } from '../agent-runtime.ts';
import { clip } from '../clip.ts';
import type { EntryKind, EntryRow, NewEntry } from './session-store.ts';

const MAX_FIELD = 4_000;

const cut = (s: string) => clip(s, MAX_FIELD);

/** Strings in a value cut to MAX_FIELD; `cutAny` says whether anything was. */
function cutDeep(value: unknown, state: { cutAny: boolean }): unknown {
  if (typeof value === 'string') {
    if (value.length > MAX_FIELD) state.cutAny = true;
    return cut(value);
  }
  if (Array.isArray(value)) return value.map((v) => cutDeep(v, state));
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, cutDeep(v, state)]));
  return value;
}

const KIND: Record<AgentEvent['type'], EntryKind> = {
  message: 'message',
  'tool-call': 'tool-call',
  'tool-result': 'tool-result',
  command: 'command',
  file: 'file',
  usage: 'usage',
  result: 'status',
  phase: 'log',
  log: 'log',
  progress: 'log',
};

/** The entry for an event; `blobKey(seqHint)` names where the whole event goes when it was cut. */
export async function toEntry(
  event: AgentEvent,
  store: { blobs: BlobStore; key: () => string },
  extra: Record<string, unknown> = {},
): Promise<NewEntry> {
  const state = { cutAny: false };
  const data = { ...(cutDeep(event, state) as Record<string, unknown>), ...extra };
  if (!state.cutAny) return { kind: KIND[event.type], data };
  const key = store.key();
  await store.blobs.put(key, Buffer.from(JSON.stringify(event)));
  return { kind: KIND[event.type], data: { ...data, truncated: true }, blobKey: key };
}

/** The events a transcript holds, whole (cut ones read back from their blobs), for a resumed run. */
export async function toHistory(rows: EntryRow[], blobs: BlobStore): Promise<AgentEvent[]> {
  const events: AgentEvent[] = [];
  for (const row of rows) {
    if (row.kind === 'log' || (row.kind === 'status' && row.data.type !== 'result')) continue;
    // Setup is Orchard's, not something the agent did: its commands are not the agent's history.
    if (row.kind === 'command' && row.data.setup === true) continue;
    let event = row.data as unknown as AgentEvent & { truncated?: boolean; checkpoint?: string };
    if (row.blob_key) {
      const blob = await blobs.get(row.blob_key);
      if (blob) event = JSON.parse(await text(blob.stream as Readable));
    }
    const {
      truncated: _t,
      checkpoint: _c,
      ...clean
    } = event as AgentEvent & { truncated?: boolean; checkpoint?: string };
    events.push(clean as AgentEvent);
  }
  return events;
}

/**
 * How far run `run` got after its agent was done, by what it recorded: the run's `result` (read
 * whole), and the commit made of it (a `committed` status) — what an attempt resumed after a
 * worker died mid-delivery picks up from.
 */
export async function recordedRunEnd(
  rows: EntryRow[],
  run: number,
  blobs: BlobStore,
): Promise<{ result?: { summary: string; commitMessage?: string }; committed?: string }> {
  const statuses = rows.filter((row) => row.run === run && row.kind === 'status');
  const resultRow = statuses.filter((row) => row.data.type === 'result').at(-1);
  const committed = statuses.filter((row) => row.data.type === 'committed').at(-1)?.data.sha;
  const [result] = resultRow ? await toHistory([resultRow], blobs) : [];
  return {
    ...(result?.type === 'result'
      ? {
          result: {
            summary: result.summary,
            ...(result.commitMessage ? { commitMessage: result.commitMessage } : {}),
          },
        }
      : {}),
    ...(typeof committed === 'string' ? { committed } : {}),
  };
}
