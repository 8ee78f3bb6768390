import sharp, { type Metadata } from 'sharp';
import { PayloadTooLargeError, UnsupportedMediaTypeError } from '../../../platform/errors.ts';
import { hexOf } from './colors.ts';
import type { DesignAnalysis } from './design-analysis.ts';
import { buildPalette, type ColorUse } from './palette.ts';

/** The image formats a design reference may be, by content type. */
export const REFERENCE_IMAGE_TYPES = ['image/png', 'image/jpeg', 'image/webp'] as const;
export type ReferenceImageType = (typeof REFERENCE_IMAGE_TYPES)[number];

const FORMATS: Record<string, ReferenceImageType> = {
  png: 'image/png',
  jpeg: 'image/jpeg',
  webp: 'image/webp',
};
/** Decoding is bounded too: a small file can hold a huge (decompression bomb) image. */
const MAX_PIXELS = 40_000_000;
const SAMPLE = 96;

export interface ImageDesign {
  contentType: ReferenceImageType;
  width: number;
  height: number;
  analysis: DesignAnalysis;
}

/** The image's real format and size, or a 415/413 that says what to upload instead. */
async function inspect(data: Buffer) {
  let meta: Metadata;
  try {
    meta = await sharp(data, { limitInputPixels: false }).metadata();
  } catch {
    throw new UnsupportedMediaTypeError(
      'The upload is not an image this server can read; upload a PNG, JPEG or WebP image (a screenshot works).',
    );
  }
  const contentType = FORMATS[meta.format ?? ''];
  if (!contentType || !meta.width || !meta.height) {
    throw new UnsupportedMediaTypeError(
      `The upload is a ${meta.format ?? 'file'} image; upload a PNG, JPEG or WebP image instead.`,
    );
  }
  if (meta.width * meta.height > MAX_PIXELS) {
    throw new PayloadTooLargeError(
      `The image is ${meta.width}×${meta.height} pixels; upload one of at most ${MAX_PIXELS / 1_000_000} megapixels (scale it down first).`,
    );
  }
  return { contentType, width: meta.width, height: meta.height };
}

/**
 * The dominant colours of an image: decoded and scaled down by sharp, pixels counted in buckets of
 * 32 levels per channel (transparency shown over white), buckets of about the same colour merged,
 * and roles guessed from area and contrast (the largest is the background).
 */
export async function analyzeImage(data: Buffer): Promise<ImageDesign> {
  const info = await inspect(data);
  const { data: pixels, info: raw } = await sharp(data, { limitInputPixels: MAX_PIXELS })
    .rotate()
    .flatten({ background: '#ffffff' })
    .resize(SAMPLE, SAMPLE, { fit: 'inside', kernel: 'nearest' })
    .removeAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  const buckets = new Map<number, { n: number; r: number; g: number; b: number }>();
  for (let i = 0; i + 2 < pixels.length; i += raw.channels) {
    const r = pixels[i]!;
    const g = pixels[i + 1]!;
    const b = pixels[i + 2]!;
    const key = ((r >> 3) << 10) | ((g >> 3) << 5) | (b >> 3);
    const bucket = buckets.get(key) ?? { n: 0, r: 0, g: 0, b: 0 };
    bucket.n++;
    bucket.r += r;
    bucket.g += g;
    bucket.b += b;
    buckets.set(key, bucket);
  }
  const uses: ColorUse[] = [...buckets.values()].map((c) => ({
    hex: hexOf([c.r / c.n, c.g / c.n, c.b / c.n]),
    background: 0,
    text: 0,
    border: 0,
    interactive: 0,
    image: c.n,
  }));
  return {
    ...info,
    analysis: { palette: buildPalette(uses, { mergeBelow: 8 }), typography: null, spacing: [], radii: [] },
  };
}

/**
 * A small WebP of an image for lists: 320×240 from the top left (`top`, for page screenshots) or the
 * whole image within 320×320.
 */
export async function thumbnailOf(data: Buffer, crop: 'top' | 'whole'): Promise<Buffer> {
  const image = sharp(data, { limitInputPixels: MAX_PIXELS }).rotate();
  const sized =
    crop === 'top'
      ? image.resize({ width: 320, height: 240, fit: 'cover', position: 'left top' })
      : image.resize({ width: 320, height: 320, fit: 'inside', withoutEnlargement: true });
  return sized.webp({ quality: 80 }).toBuffer();
}
