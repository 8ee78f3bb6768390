import { buffer } from 'node:stream/consumers';
import type { ContentBlock } from '@modelcontextprotocol/sdk/types.js';
import type { BlobStore } from '../../../platform/blobs/index.ts';

/** Clients and models take images up to a few megabytes; a larger screenshot is named, not sent. */
const MAX_IMAGE_BYTES = 1_500_000;

export interface CaptionedShot {
  caption: string;
  shot?: { blobId: string; contentType: string; size: number };
}

/**
 * Screenshots as MCP image content, each after its caption, in the order given, up to `wanted`;
 * ones that are missing or too large are skipped.
 */
export async function artifactImages(
  blobs: BlobStore,
  shots: CaptionedShot[],
  wanted: number,
): Promise<ContentBlock[]> {
  const blocks: ContentBlock[] = [];
  for (const { caption, shot } of shots) {
    if (blocks.length >= wanted * 2) break;
    if (!shot || shot.size > MAX_IMAGE_BYTES) continue;
    const blob = await blobs.get(shot.blobId);
    if (!blob) continue;
    blocks.push(
      { type: 'text', text: caption },
      { type: 'image', data: (await buffer(blob.stream)).toString('base64'), mimeType: shot.contentType },
    );
  }
  return blocks;
}
