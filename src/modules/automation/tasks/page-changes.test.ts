import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BrowserPool } from '../browser-pool.ts';
import { watchPageChanges } from './page-changes.ts';

/** Pages that change what they show in the ways a picture could miss, and one that does not. */
const PAGES: Record<string, string> = {
  '/still': '<h1>Orders</h1><p id="said">Signed in</p><label>Note <input id="note"></label>',
  '/animated':
    '<style>@keyframes spin { to { transform: rotate(1turn) } } i { display: inline-block; animation: spin 1s linear infinite }</style><i>*</i>',
  '/canvas': '<canvas width="10" height="10"></canvas>',
  '/component':
    '<orders-list></orders-list><script>customElements.define("orders-list", class extends HTMLElement { constructor() { super(); this.attachShadow({ mode: "closed" }).innerHTML = "<p>none</p>"; } })</script>',
  '/image': '<img src="/slow.png" alt="logo">',
  '/popover': '<div id="tip" popover>Saved</div>',
  '/long': `<div style="height: 5000px">tall</div>`,
};

let server: Server;
let base: string;
let pool: BrowserPool;
const holds: Array<() => void> = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    // An image that is not answered until the test ends: it stays "loading".
    if (req.url === '/slow.png') return void holds.push(() => res.end());
    const body = PAGES[req.url ?? ''] ?? '<p>other page</p>';
    res.writeHead(200, { 'content-type': 'text/html' }).end(`<!doctype html><title>t</title>${body}`);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  pool = new BrowserPool({ recycleAfter: 100, maxConcurrency: 1 });
});
afterAll(async () => {
  for (const release of holds) release();
  await pool?.close();
  await new Promise((resolve) => server?.close(resolve));
});

/** Opens `path`, marks, does `then`, and says whether the page counts as unchanged. */
async function unchangedAfter(path: string, then: (page: Page) => Promise<unknown>): Promise<boolean> {
  return pool.withPage({}, async (page) => {
    const changes = await watchPageChanges(page);
    await page.goto(`${base}${path}`, { waitUntil: path === '/image' ? 'domcontentloaded' : 'load' });
    expect(await changes.mark()).toBe(true);
    await then(page);
    return changes.unchanged();
  });
}

describe('whether a page changed since its picture', () => {
  it('is unchanged when the page was only read', async () => {
    expect(
      await unchangedAfter('/still', async (page) => {
        await page.getByText('Signed in').waitFor();
        await page.getByLabel('Note').inputValue();
        await page.ariaSnapshot({ mode: 'ai' });
      }),
    ).toBe(true);
  });

  it.each([
    [
      'text the page wrote',
      (p: Page) => p.evaluate(() => (document.getElementById('said')!.textContent = 'Out')),
    ],
    ['a style the page set', (p: Page) => p.evaluate(() => (document.body.style.background = 'red'))],
    // No event and no mutation: only the comparison of the fields' values sees it.
    [
      'a value a script set',
      (p: Page) => p.evaluate(() => ((document.getElementById('note') as HTMLInputElement).value = 'x')),
    ],
    ['typing', (p: Page) => p.getByLabel('Note').fill('x')],
    ['focus', (p: Page) => p.getByLabel('Note').focus()],
    ['hover', (p: Page) => p.getByText('Orders').hover()],
    ['a new document', (p: Page) => p.goto(`${base}/elsewhere`)],
  ])('is changed by %s', async (_what, change) => {
    expect(await unchangedAfter('/still', change)).toBe(false);
  });

  it("is changed by a scroll, the page's own before its event comes", async () => {
    expect(await unchangedAfter('/long', (p) => p.evaluate(() => window.scrollTo(0, 400)))).toBe(false);
    expect(
      await unchangedAfter('/long', async (p) => {
        await p.mouse.wheel(0, 400);
        await p.waitForFunction(() => window.scrollY > 0);
      }),
    ).toBe(false);
  });

  it('is changed by a popover shown without any attribute changing', async () => {
    expect(
      await unchangedAfter('/popover', (p) =>
        p.evaluate(() => document.getElementById('tip')!.showPopover()),
      ),
    ).toBe(false);
  });

  it.each([
    ['a running animation', '/animated'],
    ['a canvas', '/canvas'],
    ['a custom element with a closed shadow root', '/component'],
    ['an image still loading', '/image'],
  ])('never counts as unchanged with %s, though nothing was seen to change', async (_what, path) => {
    expect(await unchangedAfter(path, async () => undefined)).toBe(false);
  });

  it('cannot tell before it has marked the document', async () => {
    await pool.withPage({}, async (page) => {
      const changes = await watchPageChanges(page);
      await page.goto(`${base}/still`);
      expect(await changes.unchanged()).toBe(false);
    });
  });
});
