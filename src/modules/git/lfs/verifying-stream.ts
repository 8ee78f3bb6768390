import { createHash } from 'node:crypto';
import { Transform } from 'node:stream';
import { PayloadTooLargeError, UnprocessableError } from '../../../platform/errors.ts';

/**
 * Passes an upload through while hashing and counting it, and fails the stream — so the blob store
 * keeps nothing — when it grows past `maxBytes` or `size`, or ends with another sha256 than `oid`
 * or fewer bytes than `size`.
 */
export function verifyingStream(expected: { oid: string; size?: number; maxBytes: number }): Transform {
  const hash = createHash('sha256');
  let count = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      count += chunk.length;
      if (count > expected.maxBytes)
        return done(
          new PayloadTooLargeError(
            `LFS objects are at most ${expected.maxBytes} bytes here (git.lfsMaxObjectBytes); this one is larger.`,
          ),
        );
      if (expected.size !== undefined && count > expected.size)
        return done(tooLong(expected.oid, expected.size));
      hash.update(chunk);
      done(null, chunk);
    },
    flush(done) {
      if (expected.size !== undefined && count !== expected.size)
        return done(
          new UnprocessableError(
            `Object ${expected.oid} was declared as ${expected.size} bytes but ${count} arrived; nothing was stored.`,
          ),
        );
      const actual = hash.digest('hex');
      if (actual !== expected.oid)
        return done(
          new UnprocessableError(
            `The uploaded bytes hash to ${actual}, not ${expected.oid}; nothing was stored. Upload the object the oid names.`,
          ),
        );
      done();
    },
  });
}

function tooLong(oid: string, size: number) {
  return new UnprocessableError(
    `Object ${oid} was declared as ${size} bytes but more arrived; nothing was stored.`,
  );
}
