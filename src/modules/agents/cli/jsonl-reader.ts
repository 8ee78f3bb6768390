/**
 * Reading a CLI's JSON Lines output as it arrives: chunks become lines (a line may span chunks),
 * lines become parsed values, and a callback-driven producer (a child process, npm) becomes an
 * async iterable a runtime can `yield*` from.
 */

/** Splits a byte stream into lines; `flush` returns the unterminated rest. */
export class LineSplitter {
  private rest = '';
  private readonly decoder = new TextDecoder();

  push(chunk: Buffer): string[] {
    const text = this.rest + this.decoder.decode(chunk, { stream: true });
    const lines = text.split('\n');
    this.rest = lines.pop() ?? '';
    return lines.map((l) => l.replace(/\r$/, ''));
  }

  flush(): string[] {
    const last = (this.rest + this.decoder.decode()).replace(/\r$/, '');
    this.rest = '';
    return last ? [last] : [];
  }
}

/** The JSON object on a line, or undefined for anything else (a banner, a warning, half a line). */
export function parseJsonLine(line: string): Record<string, unknown> | undefined {
  const trimmed = line.trim();
  if (!trimmed.startsWith('{')) return undefined;
  try {
    const value: unknown = JSON.parse(trimmed);
    return value && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Runs `work`, yielding every item it emits while it runs, and returns what it resolves to. Items
 * emitted before the consumer asks are kept in order; a rejection of `work` is thrown after the
 * items emitted before it.
 */
export async function* pumpItems<T, R>(work: (emit: (item: T) => void) => Promise<R>): AsyncGenerator<T, R> {
  const queue: T[] = [];
  let wake: (() => void) | undefined;
  let settled: { ok: true; value: R } | { ok: false; error: unknown } | undefined;
  const notify = () => {
    wake?.();
    wake = undefined;
  };
  work((item) => {
    queue.push(item);
    notify();
  }).then(
    (value) => {
      settled = { ok: true, value };
      notify();
    },
    (error: unknown) => {
      settled = { ok: false, error };
      notify();
    },
  );
  for (;;) {
    while (queue.length) yield queue.shift()!;
    if (settled) {
      if (settled.ok) return settled.value;
      throw settled.error;
    }
    await new Promise<void>((resolve) => {
      wake = resolve;
    });
  }
}
