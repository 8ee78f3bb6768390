import path from 'node:path';
import type { Readable } from 'node:stream';
import { assertBlobKey, type BlobStore } from '../../platform/blobs/index.ts';
import type { Queryable } from '../../platform/db/pool.ts';
import { NotFoundError } from '../../platform/errors.ts';
import type { Actor } from '../../platform/http/actor.ts';
import { getOperation } from '../operations/index.ts';

/** Operation artifacts live under `operations/<operation id>/…`; the operation decides who may read them. */
const OPERATION_KEY = /^operations\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\/./;

const CONTENT_TYPES: Record<string, string> = {
  '.png': 'image/png',
  '.har': 'application/json',
  '.json': 'application/json',
  '.zip': 'application/zip',
};

export interface OpenedArtifact {
  stream: Readable;
  size: number;
  contentType: string;
  fileName: string;
}

/** Opens an operation's artifact for an actor who may see the operation (else 404/403). */
export async function openArtifact(
  db: Queryable,
  blobs: BlobStore,
  actor: Actor,
  key: string,
): Promise<OpenedArtifact> {
  const missing = () => new NotFoundError(`No artifact ${key}.`);
  const match = OPERATION_KEY.exec(key);
  if (!match) throw missing();
  try {
    assertBlobKey(key);
  } catch {
    throw missing();
  }
  await getOperation(db, match[1]!, { actor });
  const blob = await blobs.get(key);
  if (!blob) throw missing();
  const fileName = path.posix.basename(key);
  const contentType = CONTENT_TYPES[path.posix.extname(fileName).toLowerCase()] ?? 'application/octet-stream';
  return { ...blob, contentType, fileName };
}
