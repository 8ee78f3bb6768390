import type { BlobStore } from '../../platform/blobs/index.ts';

export type ArtifactKind = 'screenshot' | 'har' | 'trace' | 'download';

/** Where the robot keeps what it captured. */
export interface ArtifactStore {
  put(key: string, data: Buffer, contentType: string): Promise<{ id: string; url?: string; size: number }>;
}

/** A stored capture, as it appears in results and `artifact` events. */
export interface ArtifactRef {
  name: string;
  kind: ArtifactKind;
  blobId: string;
  url?: string;
  contentType: string;
  size: number;
}

/** Stores one capture as `<prefix>/<file>` and announces it; resolves with its ref. */
export type SaveArtifact = (
  file: string,
  name: string,
  kind: ArtifactKind,
  data: Buffer,
  contentType: string,
) => Promise<ArtifactRef>;

/** The one way a robot run stores what it captured: under its prefix, each told to `onArtifact`. */
export function artifactSaver(
  artifacts: ArtifactStore,
  prefix: string,
  onArtifact?: (artifact: ArtifactRef) => unknown,
): SaveArtifact {
  return async (file, name, kind, data, contentType) => {
    const saved = await artifacts.put(`${prefix}/${file}`, data, contentType);
    const ref: ArtifactRef = {
      name,
      kind,
      blobId: saved.id,
      contentType,
      size: saved.size,
      ...(saved.url ? { url: saved.url } : {}),
    };
    await onArtifact?.(ref);
    return ref;
  };
}

/** Artifacts in the blob store; the id is the blob key, `urlFor` says where it is served (if anywhere). */
export function blobArtifactStore(blobs: BlobStore, urlFor?: (id: string) => string): ArtifactStore {
  return {
    async put(key, data) {
      const stored = await blobs.put(key, data);
      return { id: key, size: stored.size, ...(urlFor ? { url: urlFor(key) } : {}) };
    },
  };
}

/** A file-name-safe version of a page or screenshot name (`Photo details` → `photo-details`). */
export function artifactSlug(name: string): string {
  return (
    name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 60) || 'page'
  );
}
