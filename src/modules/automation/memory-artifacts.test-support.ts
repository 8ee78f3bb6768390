import type { ArtifactStore } from './artifacts.ts';

/** An ArtifactStore that keeps what it is given in a map, by key (tests only). */
export function memoryArtifacts(): { artifacts: ArtifactStore; saved: Map<string, Buffer> } {
  const saved = new Map<string, Buffer>();
  return {
    saved,
    artifacts: {
      async put(key, data) {
        saved.set(key, data);
        return { id: key, size: data.length };
      },
    },
  };
}
