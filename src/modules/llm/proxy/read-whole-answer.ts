import type { Readable } from 'node:stream';

/** A whole answer, read to its end; or the first part of one too large to hold; or a broken one. */
export type WholeAnswer =
  | { kind: 'whole'; bytes: Buffer; ttftMs: number | null }
  | { kind: 'large'; head: Buffer[]; ttftMs: number | null }
  | { kind: 'broken'; head: Buffer[]; ttftMs: number | null; error: Error };

/**
 * Reads a provider's answer to a request that did not ask to stream. The client can use no part
 * of it before the end, so it is read whole and sent in one write, with its length, instead of
 * piped chunk by chunk. Past `limit` bytes it stops with what it read (`large`), the rest still
 * unread, for the caller to stream on.
 */
export function readWholeAnswer(
  body: Readable,
  options: { limit: number; t0: number; now: () => number },
): Promise<WholeAnswer> {
  // An error after the read (the client leaving while the rest streams) is the relay's to handle.
  body.on('error', () => undefined);
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let bytes = 0;
    let ttftMs: number | null = null;
    const settle = (answer: WholeAnswer) => {
      body.off('data', onData).off('end', onEnd).off('error', onError).off('close', onClose);
      resolve(answer);
    };
    const onData = (chunk: Buffer) => {
      ttftMs ??= options.now() - options.t0;
      chunks.push(chunk);
      bytes += chunk.byteLength;
      if (bytes <= options.limit) return;
      body.pause();
      settle({ kind: 'large', head: chunks, ttftMs });
    };
    const onEnd = () =>
      settle({
        kind: 'whole',
        bytes: chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, bytes),
        ttftMs,
      });
    const onError = (error: Error) => settle({ kind: 'broken', head: chunks, ttftMs, error });
    const onClose = () => onError(new Error('terminated: the provider closed the connection mid-answer'));
    body.on('data', onData).on('end', onEnd).on('error', onError).on('close', onClose);
  });
}
