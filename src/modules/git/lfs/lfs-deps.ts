import type { BlobStore } from '../../../platform/blobs/index.ts';
import type { Clock } from '../../../platform/clock.ts';
import type { Db } from '../../../platform/db/pool.ts';

/** What the LFS use cases need: the database, the blob store holding the objects, and the limits. */
export interface LfsDeps {
  db: Db;
  blobs: BlobStore;
  clock: Clock;
  /** `git.lfsMaxObjectBytes`. */
  maxObjectBytes: number;
}
