import type { AgentSessionEntry } from '../../api/agent-session-types.ts';

/**
 * A session's transcript as the page draws it, folded from its entries: messages, tool calls
 * paired with their results (by the call's `id`), commands, file edits grouped, and how each run
 * ended. Everything here is untrusted model output: it is only ever rendered as text.
 */
interface Base {
  /** The entry id that started the item (React key). */
  key: number;
  run: number;
  at: string;
  /** Where the whole entry is, when its `data` was cut. */
  fullUrl: string | null;
}

export interface ToolResult {
  output: string;
  isError: boolean;
  fullUrl: string | null;
}

export type TranscriptItem =
  | (Base & { type: 'message'; role: 'user' | 'assistant'; text: string })
  | (Base & { type: 'tool'; id: string; name: string; args: unknown; result?: ToolResult })
  | (Base & {
      type: 'command';
      command: string;
      exitCode: number | null;
      durationMs?: number;
      output: string;
      /** Run by Orchard from `.orchard/agent.yml`'s setup, before the agent (not by the agent). */
      setup: boolean;
    })
  | (Base & {
      type: 'setup';
      outcome: 'restored' | 'ran' | 'failed';
      /** The setup key's first digits. */
      setupKey: string;
      commands: number;
      durationMs: number | null;
      cached: boolean | null;
    })
  | (Base & { type: 'files'; files: Array<{ path: string; action: string; bytes?: number }> })
  | (Base & { type: 'result'; summary: string })
  | (Base & { type: 'delivered'; sha: string; mergeRequestNumber: number | null; files: number | null })
  | (Base & { type: 'log'; lines: string[] });

export interface Transcript {
  items: TranscriptItem[];
  /** The highest entry id folded in (where a reconnect resumes). */
  lastEventId: number;
  /** The latest run seen (1 + the follow-ups). */
  run: number;
  /** Tool call id → index in `items`, so a result finds its call. */
  calls: Record<string, number>;
}

export const emptyTranscript = (): Transcript => ({ items: [], lastEventId: 0, run: 1, calls: {} });

/** Log lines kept per group: a chatty CLI agent must not swamp the page. */
const MAX_LOG_LINES = 200;

const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

/** The server gives the whole entry's address only when its `data` was cut. */
const cutUrl = (entry: AgentSessionEntry) => entry.fullUrl;

function logLine(d: Record<string, unknown>): string | undefined {
  switch (d.type) {
    case 'phase':
      return `▶ ${str(d.message) ?? str(d.phase) ?? ''}`;
    case 'log':
      return str(d.line);
    default:
      // Progress fractions are for bars, not for reading.
      return undefined;
  }
}

/**
 * Folds entries (in id order) into the transcript. Pure: the same entries give the same
 * transcript; entries already folded (a replay after reconnecting) are skipped. Copies the item
 * list once per batch, so a replay of thousands of entries stays linear.
 */
export function foldEntries(state: Transcript, entries: AgentSessionEntry[]): Transcript {
  const fresh = entries.filter((e) => e.id > state.lastEventId);
  if (!fresh.length) return state;
  const items = [...state.items];
  const calls = { ...state.calls };
  let run = state.run;
  const base = (e: AgentSessionEntry): Base => ({
    key: e.id,
    run: e.run,
    at: e.createdAt,
    fullUrl: cutUrl(e),
  });
  const last = () => items[items.length - 1];

  for (const entry of fresh) {
    const d = entry.data;
    run = Math.max(run, entry.run);
    switch (entry.kind) {
      case 'message':
        items.push({
          ...base(entry),
          type: 'message',
          role: d.role === 'user' ? 'user' : 'assistant',
          text: str(d.text) ?? '',
        });
        break;
      case 'tool-call': {
        const id = str(d.id) ?? `entry-${entry.id}`;
        calls[id] = items.length;
        items.push({ ...base(entry), type: 'tool', id, name: str(d.name) ?? 'tool', args: d.args });
        break;
      }
      case 'tool-result': {
        const id = str(d.id) ?? '';
        const result: ToolResult = {
          output: str(d.output) ?? '',
          isError: d.isError === true,
          fullUrl: cutUrl(entry),
        };
        const index = calls[id];
        const call = index === undefined ? undefined : items[index];
        if (call?.type === 'tool') items[index!] = { ...call, result };
        // A result whose call was never recorded still shows.
        else
          items.push({
            ...base(entry),
            type: 'tool',
            id,
            name: str(d.name) ?? 'tool',
            args: undefined,
            result,
          });
        break;
      }
      case 'command':
        items.push({
          ...base(entry),
          type: 'command',
          command: str(d.command) ?? '',
          exitCode: num(d.exitCode) ?? null,
          durationMs: num(d.durationMs),
          output: str(d.output) ?? '',
          setup: d.setup === true,
        });
        break;
      case 'file': {
        const file = { path: str(d.path) ?? '', action: str(d.action) ?? 'write', bytes: num(d.bytes) };
        const prev = last();
        if (prev?.type === 'files' && prev.run === entry.run)
          items[items.length - 1] = { ...prev, files: [...prev.files, file] };
        else items.push({ ...base(entry), type: 'files', files: [file] });
        break;
      }
      case 'status':
        if (d.type === 'result')
          items.push({ ...base(entry), type: 'result', summary: str(d.summary) ?? '' });
        else if (d.type === 'setup')
          items.push({
            ...base(entry),
            type: 'setup',
            outcome: d.outcome === 'restored' || d.outcome === 'failed' ? d.outcome : 'ran',
            setupKey: str(d.key) ?? '',
            commands: num(d.commands) ?? 0,
            durationMs: num(d.durationMs) ?? null,
            cached: typeof d.cached === 'boolean' ? d.cached : null,
          });
        else if (d.type === 'delivered')
          items.push({
            ...base(entry),
            type: 'delivered',
            sha: str(d.sha) ?? '',
            mergeRequestNumber: num(d.mergeRequestNumber) ?? null,
            files: num(d.files) ?? null,
          });
        break;
      case 'log': {
        const line = logLine(d);
        if (line === undefined) break;
        const prev = last();
        if (prev?.type === 'log' && prev.run === entry.run)
          items[items.length - 1] = { ...prev, lines: [...prev.lines, line].slice(-MAX_LOG_LINES) };
        else items.push({ ...base(entry), type: 'log', lines: [line] });
        break;
      }
      default:
        // `usage` moves the spend meters (the session's figures), not the conversation.
        break;
    }
  }
  return { items, calls, run, lastEventId: Math.max(state.lastEventId, ...fresh.map((e) => e.id)) };
}

/** `{"path":"src/a.ts","content":"…"}` → `path: src/a.ts, content: "export…"` on one short line. */
export function oneLineArgs(args: unknown, max = 140): string {
  let text: string;
  if (args && typeof args === 'object' && !Array.isArray(args)) {
    text = Object.entries(args as Record<string, unknown>)
      .map(
        ([k, v]) =>
          `${k}: ${typeof v === 'string' ? shorten(v.replace(/\s+/g, ' '), 48) : JSON.stringify(v)}`,
      )
      .join(', ');
  } else {
    text = args === undefined ? '' : (JSON.stringify(args) ?? '');
  }
  return shorten(text, max);
}

const shorten = (s: string, max: number) => (s.length > max ? `${s.slice(0, max - 1)}…` : s);
