import { open, stat } from 'node:fs/promises';
import type { EnvironmentWithSlug } from '../environment-store.ts';
import { logFile } from '../paths.ts';
import { type LogLine, parseLogFileLine } from './app-log.ts';
import type { Supervisor } from './supervisor.ts';

/** How much of a log file is read for a tail. */
const TAIL_BYTES = 1024 * 1024;

/** The last `n` lines of an environment's log: from memory when supervised here, else from its file. */
export async function tailLogs(
  supervisor: Supervisor,
  home: string,
  env: EnvironmentWithSlug,
  n: number,
): Promise<{ lines: LogLine[]; fileOffset: number }> {
  const file = logFile(home, env.slug, env.host_label);
  const local = supervisor.logOf(env.id);
  const size = await stat(file).then(
    (s) => s.size,
    () => 0,
  );
  if (local) return { lines: n ? local.tail(n) : [], fileOffset: size };
  const text = await readRange(file, Math.max(0, size - TAIL_BYTES), size);
  const raw = text.split('\n').filter(Boolean);
  if (size > TAIL_BYTES) raw.shift(); // probably cut mid-line
  const lines = raw
    .map((l, i) => parseLogFileLine(l, i + 1))
    .filter((l): l is LogLine => Boolean(l))
    .slice(-n || raw.length);
  return { lines: n ? lines : [], fileOffset: size };
}

/**
 * Follows an environment's log: live from memory when supervised here, else by polling its file
 * from `offset` (another Orchard process on this machine writes it). Returns the stop function.
 */
export function followLogs(
  supervisor: Supervisor,
  home: string,
  env: EnvironmentWithSlug,
  offset: number,
  fn: (line: LogLine) => void,
): () => void {
  const local = supervisor.logOf(env.id);
  if (local) return local.follow(fn);
  const file = logFile(home, env.slug, env.host_label);
  let position = offset;
  let seq = 0;
  let rest = '';
  let busy = false;
  const timer = setInterval(async () => {
    if (busy) return;
    busy = true;
    try {
      const size = await stat(file).then(
        (s) => s.size,
        () => 0,
      );
      if (size < position) position = 0; // rotated
      if (size > position) {
        const text = rest + (await readRange(file, position, size));
        position = size;
        const parts = text.split('\n');
        rest = parts.pop() ?? '';
        for (const part of parts) {
          const line = parseLogFileLine(part, ++seq);
          if (line) fn(line);
        }
      }
    } finally {
      busy = false;
    }
  }, 500);
  return () => clearInterval(timer);
}

async function readRange(file: string, start: number, end: number): Promise<string> {
  if (end <= start) return '';
  const handle = await open(file, 'r').catch(() => undefined);
  if (!handle) return '';
  try {
    const buffer = Buffer.alloc(end - start);
    await handle.read(buffer, 0, buffer.length, start);
    return buffer.toString('utf8');
  } finally {
    await handle.close();
  }
}
