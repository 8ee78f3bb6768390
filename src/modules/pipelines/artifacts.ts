import { createReadStream } from 'node:fs';
import { lstat, readdir } from 'node:fs/promises';
import path from 'node:path';
import type { BlobStore } from '../../platform/blobs/index.ts';
import type { Queryable } from '../../platform/db/pool.ts';
import { globToRegExp } from './pipeline-file.ts';
import { insertArtifact } from './store.ts';

const MAX_FILES = 1000;

/** Workspace files (relative paths; `.git` skipped, symlinks never followed) matching any glob. */
export async function matchArtifacts(workspace: string, globs: string[]): Promise<string[]> {
  if (!globs.length) return [];
  const patterns = globs.map((g) => globToRegExp(g.replace(/^\.\//, '').replace(/\/$/, '/**')));
  const out: string[] = [];
  const walk = async (dir: string, rel: string) => {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      if (out.length >= MAX_FILES) return;
      const relPath = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.name === '.git' && !rel) continue;
      if (entry.isDirectory()) await walk(path.join(dir, entry.name), relPath);
      else if (entry.isFile() && patterns.some((p) => p.test(relPath))) out.push(relPath);
    }
  };
  await walk(workspace, '');
  return out.sort();
}

/** Stores matching files in the blob store under `pipelines/<id>/<job>/…` and records them. */
export async function collectArtifacts(
  db: Queryable,
  blobs: BlobStore,
  a: { workspace: string; globs: string[]; pipelineId: string; jobId: string; jobName: string },
): Promise<number> {
  const files = await matchArtifacts(a.workspace, a.globs);
  for (const file of files) {
    const full = path.join(a.workspace, file);
    if (!(await lstat(full)).isFile()) continue;
    const blobKey = `pipelines/${a.pipelineId}/${a.jobName}/${file}`;
    const stored = await blobs.put(blobKey, createReadStream(full));
    await insertArtifact(db, {
      pipelineId: a.pipelineId,
      jobId: a.jobId,
      path: file,
      blobKey,
      size: stored.size,
      sha256: stored.sha256,
    });
  }
  return files.length;
}
