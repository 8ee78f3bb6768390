import type { Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BrowserPool } from '../browser-pool.ts';
import { memoryArtifacts } from '../memory-artifacts.test-support.ts';
import { createUrlGuard } from '../url-guard.ts';
import { type OnePageSite, startOnePageSite } from './one-page-site.test-support.ts';
import { runTask } from './run-task.ts';
import { hideSecretsOnScreen } from './secret-text.ts';
import { AutomationTaskBody } from './task-input.ts';
import { createVariables } from './variables.ts';

/**
 * A secret the page shows by itself is painted over in every picture: a key the page prints, the
 * typed value echoed in a paragraph and copied into another field, the same in a shadow root. The
 * page's DOM and scripts never see a change, nor the secrets looked for.
 */
const KEY = 'sk-live-51Hx9QzT';
const LINE = 'position: absolute; left: 0; margin: 0; white-space: pre; font: 40px monospace';
const PAGE = `<!doctype html><html><head><title>Keys</title>
<style>html, body { margin: 0; background: #fff; color: #000 }</style>
<script>
  // The page watches what strings are searched for: it must never learn the secret that way.
  window.searched = [];
  const indexOf = String.prototype.indexOf;
  String.prototype.indexOf = function (s, ...rest) { window.searched.push(String(s)); return indexOf.call(this, s, ...rest); };
</script></head>
<body>
<p id="shown" style="${LINE}; top: 0">${KEY}</p>
<input id="field" aria-label="Key" style="position: absolute; top: 100px; left: 0; width: 900px; font: 40px monospace">
<p id="echo" style="${LINE}; top: 200px"></p>
<input id="copy" aria-label="Copy" style="position: absolute; top: 300px; left: 0; width: 900px; font: 40px monospace">
<div id="host" style="position: absolute; top: 400px; left: 0"></div>
<script>
  document.getElementById('field').addEventListener('input', (e) => {
    document.getElementById('echo').textContent = e.target.value;
    document.getElementById('copy').value = e.target.value;
  });
  document.getElementById('host').attachShadow({ mode: 'open' }).innerHTML =
    '<p style="${LINE}; position: static">${KEY}</p>';
</script></body></html>`;

let site: OnePageSite;
let pool: BrowserPool;

beforeAll(async () => {
  site = await startOnePageSite(PAGE);
  pool = new BrowserPool({ recycleAfter: 100, maxConcurrency: 1 });
});
afterAll(async () => {
  await pool?.close();
  await site?.close();
});

/** How dark a band of a picture is on average, 0 (black) to 255 (white). */
async function darkness(png: Buffer, top: number, scale = 1): Promise<number> {
  const { data } = await sharp(png)
    .extract({
      left: 0,
      top: Math.round((top + 4) * scale),
      width: Math.round(KEY.length * 24 * scale),
      height: Math.round(36 * scale),
    })
    .greyscale()
    .raw()
    .toBuffer({ resolveWithObject: true });
  return data.reduce((sum, v) => sum + v, 0) / data.length;
}

async function typeAndLook(page: Page) {
  await page.getByLabel('Key', { exact: true }).fill(KEY);
  await page.getByText(KEY).first().waitFor();
  const png = await page.screenshot({ type: 'png' });
  return {
    shown: await darkness(png, 0),
    echo: await darkness(png, 200),
    shadow: await darkness(png, 400),
    copy: await page
      .locator('#copy')
      .evaluate((el) => getComputedStyle(el).getPropertyValue('-webkit-text-security')),
  };
}

describe('secrets the page shows', () => {
  it('are painted over in pictures, wherever the page puts them, and left alone in its DOM', async () => {
    const plain = await pool.withPage({}, async (page) => {
      await page.goto(`${site.url}/`);
      return typeAndLook(page);
    });
    // Without hiding, the bands are mostly white paper with black letters.
    for (const band of [plain.shown, plain.echo, plain.shadow]) expect(band).toBeGreaterThan(150);
    expect(plain.copy).toBe('none');

    await pool.withPage({}, async (page) => {
      await hideSecretsOnScreen(page, [KEY]);
      await page.goto(`${site.url}/`);
      const hidden = await typeAndLook(page);
      for (const [where, band] of Object.entries({
        shown: hidden.shown,
        echo: hidden.echo,
        shadow: hidden.shadow,
      }))
        expect(band, where).toBeLessThan(40);
      expect(hidden.copy).toBe('disc');
      // The page's text is what it wrote, and its scripts learned nothing.
      expect(await page.locator('#echo').textContent()).toBe(KEY);
      const seen = await page.evaluate(() => ({
        searched: (window as unknown as { searched: string[] }).searched,
        flag: 'orchardSecretsHidden' in globalThis,
        html: document.documentElement.outerHTML.includes('orchard'),
      }));
      expect(seen.searched).not.toContain(KEY);
      expect(seen.flag).toBe(false);
      expect(seen.html).toBe(false);
    });
  }, 60_000);

  it('are painted over in a task that types one, in its step pictures too', async () => {
    const { artifacts, saved } = memoryArtifacts();
    const run = (secret: boolean) =>
      runTask({
        task: AutomationTaskBody.parse({
          startUrl: `${site.url}/`,
          steps: [
            { fill: { label: 'Key' }, value: '%KEY%' },
            { expect: { text: '%KEY%' } },
            { screenshot: 'after' },
          ],
          secrets: secret ? ['KEY'] : [],
          variables: secret ? {} : { KEY },
        }),
        projectId: '00000000-0000-4000-8000-000000000000',
        variables: secret ? createVariables({}, { KEY }) : createVariables({ KEY }, {}),
        pool,
        guard: createUrlGuard({
          environment: [{ hostname: '127.0.0.1', port: Number(new URL(site.url).port) }],
        }),
        artifacts,
        artifactPrefix: secret ? 'secret' : 'plain',
      });
    for (const secret of [false, true]) {
      const result = await run(secret);
      expect(result.passed, result.stoppedBecause).toBe(true);
      const full = saved.get(`${secret ? 'secret' : 'plain'}/after.png`)!;
      const bands = [await darkness(full, 0), await darkness(full, 200), await darkness(full, 400)];
      // Every step's thumbnail (0.4 of the viewport) too.
      for (const step of result.steps) {
        const thumb = saved.get(step.screenshot!.blobId)!;
        bands.push(await darkness(await sharp(thumb).png().toBuffer(), 0, 0.4));
      }
      for (const band of bands) secret ? expect(band).toBeLessThan(60) : expect(band).toBeGreaterThan(150);
    }
  }, 60_000);
});
