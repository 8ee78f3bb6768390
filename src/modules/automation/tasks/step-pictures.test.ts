import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BrowserPool } from '../browser-pool.ts';
import { memoryArtifacts } from '../memory-artifacts.test-support.ts';
import { createUrlGuard } from '../url-guard.ts';
import { type OnePageSite, startOnePageSite } from './one-page-site.test-support.ts';
import { runTask } from './run-task.ts';
import { AutomationTaskBody } from './task-input.ts';
import { createVariables } from './variables.ts';

/**
 * A step's screenshot is taken while the next step only reads the page (finding its element, a
 * snapshot, the cache); it must still show the page as that step left it, never as the next one
 * changed it. Each step here paints the whole page another colour at once, so a picture taken a
 * moment late shows the wrong colour.
 */
const PAGE = `<!doctype html><html><head><title>Colours</title>
<style>html, body { margin: 0; height: 100%; background: rgb(255, 255, 255); }</style></head>
<body><p id="said">unpainted</p>
<label>Colour <input id="colour"></label>
<button onclick="paint('blue')">Paint blue</button>
<script>
  const colours = { red: 'rgb(255, 0, 0)', green: 'rgb(0, 200, 0)', blue: 'rgb(0, 0, 255)', yellow: 'rgb(255, 255, 0)' };
  function paint(name) {
    if (!colours[name]) return;
    document.body.style.background = colours[name];
    document.documentElement.style.background = colours[name];
    document.getElementById('said').textContent = 'painted ' + name;
  }
  document.getElementById('colour').addEventListener('input', (e) => paint(e.target.value));
  document.addEventListener('keydown', (e) => { if (e.key === 'g') paint('green'); });
</script></body></html>`;

let site: OnePageSite;
let base: string;
let pool: BrowserPool;

beforeAll(async () => {
  site = await startOnePageSite(PAGE);
  base = site.url;
  pool = new BrowserPool({ recycleAfter: 100, maxConcurrency: 1 });
});
afterAll(async () => {
  await pool?.close();
  await site?.close();
});

/** The picture's colour on average, as the nearest of the page's colours. */
async function colourOf(jpeg: Buffer): Promise<string> {
  const { data } = await sharp(jpeg)
    .resize(1, 1, { fit: 'fill' })
    .raw()
    .toBuffer({ resolveWithObject: true });
  const [r, g, b] = [data[0]!, data[1]!, data[2]!];
  const named: Record<string, [number, number, number]> = {
    white: [255, 255, 255],
    red: [255, 0, 0],
    green: [0, 200, 0],
    blue: [0, 0, 255],
    yellow: [255, 255, 0],
  };
  const distance = ([x, y, z]: [number, number, number]) => (x - r) ** 2 + (y - g) ** 2 + (z - b) ** 2;
  return Object.entries(named).sort(([, a], [, b]) => distance(a) - distance(b))[0]![0];
}

describe('step screenshots', () => {
  it("show each step's page, though the next step starts while the picture is taken", async () => {
    const { artifacts, saved } = memoryArtifacts();
    const steps = [
      { fill: { label: 'Colour' }, value: 'red' },
      { press: 'g' },
      { click: { role: 'button', name: 'Paint blue' } },
      { fill: { label: 'Colour' }, value: 'yellow' },
      { press: 'g' },
      { expect: { text: 'painted green' } },
    ];
    // Several runs: a picture taken late would show up as a wrong colour in some of them.
    for (let run = 0; run < 3; run++) {
      const result = await runTask({
        task: AutomationTaskBody.parse({ startUrl: `${base}/`, steps, screenshots: 'steps' }),
        projectId: '00000000-0000-4000-8000-000000000000',
        variables: createVariables({}, {}),
        pool,
        guard: createUrlGuard({ environment: [{ hostname: '127.0.0.1', port: Number(new URL(base).port) }] }),
        artifacts,
        artifactPrefix: `run${run}`,
      });
      expect(result.passed, result.stoppedBecause).toBe(true);
      const colours = [];
      for (const step of result.steps) colours.push(await colourOf(saved.get(step.screenshot!.blobId)!));
      expect(colours).toEqual(['white', 'red', 'green', 'blue', 'yellow', 'green', 'green']);
    }
  }, 120_000);
});
