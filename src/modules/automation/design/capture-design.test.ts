import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DESIGN, type DesignSite, startDesignSite } from '../../../../test/support/design-site.ts';
import { until } from '../../../../test/support/until.ts';
import { BrowserPool } from '../browser-pool.ts';
import { BlockedUrlError, createUrlGuard } from '../url-guard.ts';
import { captureDesign } from './capture-design.ts';

let site: DesignSite;
let pool: BrowserPool;

beforeAll(async () => {
  site = await startDesignSite();
  pool = new BrowserPool({ recycleAfter: 50, maxConcurrency: 1 });
});
afterAll(async () => {
  await pool?.close();
  await site?.close();
});

/** The guard of a design reference, letting the test site's loopback address through. */
const localGuard = () => createUrlGuard({ allowHosts: ['127.0.0.1'], allowPrivate: true, publicHosts: true });

describe('captureDesign (real Chromium)', () => {
  it("finds a page's colours with their roles, its fonts and sizes, spacing and radii, and screenshots it", async () => {
    const capture = await captureDesign({ url: site.url, pool, guard: localGuard() });
    const { palette, typography, spacing, radii } = capture.analysis;

    expect(palette.roles).toEqual({
      background: DESIGN.background,
      surface: DESIGN.surface,
      text: DESIGN.text,
      muted: DESIGN.muted,
      primary: DESIGN.primary,
      accent: DESIGN.accent,
    });
    const hexes = palette.colors.map((c) => c.hex);
    for (const hex of [DESIGN.header, DESIGN.border]) expect(hexes).toContain(hex);
    // Nothing the page does not use, each colour once, the background the most used.
    expect(new Set(hexes).size).toBe(hexes.length);
    expect(hexes.every((h) => Object.values(DESIGN).includes(h as never) || h === '#ffffff')).toBe(true);
    expect(palette.colors[0]).toMatchObject({ hex: DESIGN.background, role: 'background' });
    expect(palette.colors.find((c) => c.hex === DESIGN.border)?.uses).toEqual(['border']);

    expect(typography?.body).toEqual({ family: DESIGN.bodyFont, px: DESIGN.bodyPx });
    expect(typography?.headings).toEqual({ family: DESIGN.headingFont, sizes: [...DESIGN.headingPx] });
    expect(typography?.families.map((f) => f.family)).toEqual([DESIGN.bodyFont, DESIGN.headingFont]);
    expect(typography?.sizes.map((s) => s.px)).toEqual([40, 28, 18, DESIGN.smallPx]);

    expect(spacing.map((s) => s.value)).toEqual(expect.arrayContaining(['8px', '16px', '24px']));
    expect(radii.map((r) => r.value)).toEqual(['6px', '12px']);

    expect(capture.title).toBe('Solar shop');
    const meta = await sharp(capture.screenshot).metadata();
    expect(meta).toMatchObject({ format: 'png', width: 1280 });
    // The screenshot shows the page: its top-left pixel is the header's colour.
    const { data } = await sharp(capture.screenshot)
      .extract({ left: 0, top: 0, width: 1, height: 1 })
      .raw()
      .toBuffer({ resolveWithObject: true });
    expect([...data.subarray(0, 3)]).toEqual([0x00, 0x2b, 0x36]);
  });

  it('refuses a private address that is not allowed, before the browser opens anything', async () => {
    const guard = createUrlGuard({ publicHosts: true });
    const error = await captureDesign({ url: site.url, pool, guard }).catch((e: Error) => e);
    expect(error).toBeInstanceOf(BlockedUrlError);
    expect((error as Error).message).toMatch(
      /127\.0\.0\.1 resolves to 127\.0\.0\.1, a private, loopback or link-local address \(add it to automation\.allowHosts and set automation\.allowPrivate/,
    );
  });

  it('refuses a page that redirects to a cloud metadata address', async () => {
    const url = `${site.url}to?url=${encodeURIComponent('http://169.254.169.254/latest/meta-data/')}`;
    const error = await captureDesign({ url, pool, guard: localGuard() }).catch((e: Error) => e);
    expect(error).toBeInstanceOf(BlockedUrlError);
    expect((error as Error).message).toMatch(/cloud metadata address/);
  });

  it('says so when the page answers an error status', async () => {
    const error = await captureDesign({ url: `${site.url}missing`, pool, guard: localGuard() }).catch(
      (e: Error) => e,
    );
    expect(error).toMatchObject({ status: 422, message: expect.stringMatching(/answered 404/) });
  });

  it('gives up on a page that does not load within the time budget, with a 422 that says what to do', async () => {
    const error = await captureDesign({
      url: `${site.url}never`,
      pool,
      guard: localGuard(),
      timeoutMs: 1_500,
    }).catch((e: Error) => e);
    expect(error).toMatchObject({
      status: 422,
      message: expect.stringMatching(/did not load and settle within 2 s; try again, or upload a screenshot/),
    });
  });

  it("stops when its signal aborts (the client went away), with the signal's reason", async () => {
    const controller = new AbortController();
    const capture = captureDesign({
      url: `${site.url}never`,
      pool,
      guard: localGuard(),
      signal: controller.signal,
    });
    const gone = new Error('The client closed the connection.');
    // Aborted once the browser has started on it: the context is open and the page is loading.
    await until(() => pool.stats.active > 0, 10_000, 'the capture to open a browser context');
    controller.abort(gone);
    await expect(capture).rejects.toBe(gone);
    expect(pool.stats.active).toBe(0);
  });
});
