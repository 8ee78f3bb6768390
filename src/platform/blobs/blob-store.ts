import type { Readable } from 'node:stream';

export interface BlobInfo {
  key: string;
  size: number;
}

/**
 * Where artifacts live. Keys are relative slash-separated paths (`pipelines/<id>/<job>/dist/app.js`).
 * The filesystem store is the default; an S3-compatible store can implement the same interface.
 */
export interface BlobStore {
  /** Stores a blob from a stream or buffer, replacing any blob with that key; resolves with its size and sha256. */
  put(key: string, body: Readable | Buffer): Promise<{ size: number; sha256: string }>;
  /** Opens a blob for reading, or undefined when there is none. */
  get(key: string): Promise<{ stream: Readable; size: number } | undefined>;
  delete(key: string): Promise<void>;
  /** Blobs whose key starts with `prefix/`. */
  list(prefix: string): Promise<BlobInfo[]>;
}

/** Any name but `.`/`..`, without control characters or backslashes (S3 keys and file names alike). */
const SEGMENT = /^[^\x00-\x1f\x7f\\/]{1,255}$/;

/** Throws for keys that could escape the store (`..`, absolute paths, odd characters). */
export function assertBlobKey(key: string): string {
  const parts = key.split('/');
  if (!key || key.length > 1024 || parts.some((p) => !SEGMENT.test(p) || p === '.' || p === '..')) {
    throw new Error(`Invalid blob key: ${JSON.stringify(key)}`);
  }
  return key;
}
