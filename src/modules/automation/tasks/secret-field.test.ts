import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BrowserPool } from '../browser-pool.ts';
import { type OnePageSite, startOnePageSite } from './one-page-site.test-support.ts';
import { armFieldMask } from './secret-field.ts';
import { performAction } from './task-actions.ts';
import { createVariables } from './variables.ts';

/**
 * Fields that take a secret are drawn as dots, whichever field it is: a plain text field, one whose
 * page moves the focus and fires input on another field as it is typed into, one in a shadow root.
 */
const PAGE = `<!doctype html><html><head><title>Fields</title></head><body>
<label>Card <input id="card"></label>
<label>Code <input id="code"></label>
<label>Next <input id="next"></label>
<label>Note <textarea id="note"></textarea></label>
<div id="host"></div>
<script>
  // Like a one-time-code form: typing moves on to the next field and tells it.
  document.getElementById('code').addEventListener('input', () => {
    const next = document.getElementById('next');
    next.focus();
    next.dispatchEvent(new Event('input', { bubbles: true }));
  });
  document.getElementById('host').attachShadow({ mode: 'open' }).innerHTML =
    '<label>Inner <input id="inner"></label>';
</script></body></html>`;

const PIN = 'four seven one one two';

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

/** Which fields are drawn as dots, by id (the shadow root's too). */
function masked(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const root = document.getElementById('host')!.shadowRoot!;
    return [...document.querySelectorAll('input, textarea'), ...root.querySelectorAll('input')]
      .filter((el) => getComputedStyle(el).getPropertyValue('-webkit-text-security') === 'disc')
      .map((el) => el.id);
  });
}

describe('a field filled with a secret', () => {
  it('is drawn as dots, and no other field is', async () => {
    await pool.withPage({}, async (page) => {
      await page.goto(base);
      const env = { page, variables: createVariables({ who: 'Ada' }, { PIN }), timeoutMs: 10_000 };
      await performAction(env, { action: 'fill', target: { label: 'Note' }, value: 'for %who%' });
      expect(await masked(page)).toEqual([]);
      await performAction(env, { action: 'fill', target: { label: 'Card' }, value: '%PIN%' });
      expect(await masked(page)).toEqual(['card']);
      // The page moves on to "Next" and fires input there: still the field typed into.
      await performAction(env, { action: 'fill', target: { label: 'Code' }, value: 'x %PIN% y' });
      expect(await masked(page)).toEqual(['card', 'code']);
      await performAction(env, { action: 'fill', target: { label: 'Inner' }, value: '%PIN%' });
      expect(await masked(page)).toEqual(['card', 'code', 'inner']);
      expect(await page.locator('#card').inputValue()).toBe(PIN);
    });
  });

  it("is found from a world of Orchard's own, without the page's (the fast way, not the fallback)", async () => {
    await pool.withPage({}, async (page) => {
      await page.goto(base);
      for (const [label, id] of [
        ['Card', 'card'],
        ['Code', 'code'],
        ['Inner', 'inner'],
        ['Note', 'note'],
      ] as const) {
        const draw = await armFieldMask(page);
        await page.getByLabel(label).fill(PIN);
        expect(await draw(), label).toBe(true);
        expect(await masked(page)).toContain(id);
      }
      // Nothing was typed since arming: it cannot tell which field, and says so.
      const draw = await armFieldMask(page);
      expect(await draw()).toBe(false);
      // A new document: the world it watched is gone.
      const stale = await armFieldMask(page);
      await page.goto(base);
      await page.getByLabel('Card').fill(PIN);
      expect(await stale()).toBe(false);
    });
  });
});
