import sharp, { type Sharp } from 'sharp';
import { describe, expect, it } from 'vitest';
import { distance } from './colors.ts';
import { analyzeImage, thumbnailOf } from './image-design.ts';

/** A 200×100 image of known colours: each band's width is its share of the picture. */
const BANDS = [
  { hex: '#f8fafc', width: 110 }, // background, 55%
  { hex: '#e11d48', width: 50 }, // primary, 25%
  { hex: '#0ea5e9', width: 24 }, // accent, 12%
  { hex: '#0f172a', width: 16 }, // text, 8%
];

function bands(): Sharp {
  let left = 0;
  const parts = BANDS.map(({ hex, width }) => {
    const part = {
      input: { create: { width, height: 100, channels: 3 as const, background: hex } },
      left,
      top: 0,
    };
    left += width;
    return part;
  });
  return sharp({ create: { width: 200, height: 100, channels: 3, background: '#000000' } }).composite(parts);
}

describe('analyzeImage (sharp)', () => {
  it('finds the dominant colours of a PNG with their shares and roles', async () => {
    const design = await analyzeImage(await bands().png().toBuffer());
    expect(design).toMatchObject({ contentType: 'image/png', width: 200, height: 100 });
    const { palette } = design.analysis;
    expect(palette.colors.map((c) => c.hex)).toEqual(BANDS.map((b) => b.hex));
    palette.colors.forEach((c, i) => {
      expect(c.share).toBeCloseTo(BANDS[i]!.width / 200, 1);
      expect(c.uses).toEqual(['image']);
    });
    expect(palette.roles).toEqual({
      background: '#f8fafc',
      text: '#0f172a',
      primary: '#e11d48',
      accent: '#0ea5e9',
    });
    expect(design.analysis.typography).toBeNull();
  });

  it('reads JPEG and WebP too (JPEG colours within a just-visible difference)', async () => {
    const webp = await analyzeImage(await bands().webp({ lossless: true }).toBuffer());
    expect(webp.contentType).toBe('image/webp');
    expect(webp.analysis.palette.roles.primary).toBe('#e11d48');
    const jpeg = await analyzeImage(await bands().jpeg({ quality: 95 }).toBuffer());
    expect(jpeg.contentType).toBe('image/jpeg');
    const { roles } = jpeg.analysis.palette;
    expect(distance(roles.background!, '#f8fafc')).toBeLessThan(3);
    expect(distance(roles.primary!, '#e11d48')).toBeLessThan(3);
  });

  it('refuses what is not a PNG, JPEG or WebP image, saying what to upload', async () => {
    await expect(analyzeImage(Buffer.from('just some text, not an image'))).rejects.toMatchObject({
      status: 415,
      message: expect.stringMatching(/upload a PNG, JPEG or WebP image/),
    });
    const gif = await bands().gif().toBuffer();
    await expect(analyzeImage(gif)).rejects.toMatchObject({
      status: 415,
      message: 'The upload is a gif image; upload a PNG, JPEG or WebP image instead.',
    });
  });

  it('refuses an image with too many pixels before decoding it', async () => {
    const huge = await sharp({ create: { width: 7000, height: 6000, channels: 3, background: '#ffffff' } })
      .png({ compressionLevel: 1 })
      .toBuffer();
    await expect(analyzeImage(huge)).rejects.toMatchObject({
      status: 413,
      message: expect.stringMatching(/7000×6000 pixels; upload one of at most 40 megapixels/),
    });
  });

  it('makes small WebP thumbnails: the top of a page, or the whole image', async () => {
    const page = await sharp({ create: { width: 1280, height: 4000, channels: 3, background: '#336699' } })
      .png()
      .toBuffer();
    expect(await sharp(await thumbnailOf(page, 'top')).metadata()).toMatchObject({
      format: 'webp',
      width: 320,
      height: 240,
    });
    expect(await sharp(await thumbnailOf(await bands().png().toBuffer(), 'whole')).metadata()).toMatchObject({
      format: 'webp',
      width: 200,
      height: 100,
    });
  });
});
