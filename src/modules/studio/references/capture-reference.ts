import type { Logger } from '../../../platform/log.ts';
import {
  analyzeImage,
  type BrowserPool,
  captureDesign,
  createUrlGuard,
  type DesignAnalysis,
  thumbnailOf,
} from '../../automation/index.ts';

/** A page to capture, or an uploaded image. */
export type ReferenceInput = { url: string } | { image: Buffer };

export interface CaptureReferenceDeps {
  browsers: BrowserPool;
  config: {
    automation: { allowHosts: readonly string[]; allowPrivate: boolean };
    designReferences: { captureTimeoutMs: number };
  };
  logger?: Logger;
}

export interface CapturedReference {
  kind: 'url' | 'image';
  url: string | null;
  title: string | null;
  image: Buffer;
  contentType: string;
  thumbnail: Buffer;
  width: number;
  height: number;
  analysis: DesignAnalysis;
}

/**
 * A page is opened by the browser robot behind a URL guard that lets public sites through and
 * private addresses only when allow-listed (automation.allowHosts + allowPrivate); an image is
 * decoded and measured by sharp. Either way: the image, its thumbnail and what was measured.
 */
export async function captureReference(
  deps: CaptureReferenceDeps,
  input: ReferenceInput,
  signal?: AbortSignal,
): Promise<CapturedReference> {
  if ('image' in input) {
    const design = await analyzeImage(input.image);
    return {
      kind: 'image',
      url: null,
      title: null,
      image: input.image,
      contentType: design.contentType,
      thumbnail: await thumbnailOf(input.image, 'whole'),
      width: design.width,
      height: design.height,
      analysis: design.analysis,
    };
  }
  const { automation, designReferences } = deps.config;
  const capture = await captureDesign({
    url: input.url,
    pool: deps.browsers,
    guard: createUrlGuard({
      allowHosts: automation.allowHosts,
      allowPrivate: automation.allowPrivate,
      publicHosts: true,
    }),
    timeoutMs: designReferences.captureTimeoutMs,
    signal,
    logger: deps.logger,
  });
  return {
    kind: 'url',
    url: input.url,
    title: capture.title || null,
    image: capture.screenshot,
    contentType: 'image/png',
    thumbnail: await thumbnailOf(capture.screenshot, 'top'),
    width: capture.width,
    height: capture.height,
    analysis: capture.analysis,
  };
}
