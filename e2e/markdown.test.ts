import { mkdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../test/db.ts';
import { until } from '../test/support/until.ts';
import { type ApiSession, createAdminSession, signInAdmin } from './support/api-session.ts';
import { launchBrowser, watchPageErrors } from './support/browser.ts';
import { ensureWebBuilt } from './support/build-web.ts';
import { type RunningOrchard, startOrchard } from './support/start-orchard.ts';
import { expectVisible } from './support/wait.ts';

const SCREENSHOT_DIR = path.join(os.tmpdir(), 'orchard-e2e');
const SLUG = 'notes';
const LONG_LINE = `const receipt = [${Array.from({ length: 60 }, (_, i) => `'item-${i}'`).join(', ')}];`;

// Everything an author might write, friendly and hostile, in one text.
const ISSUE_BODY = [
  '## Steps to reproduce',
  '',
  '| Step | Expected | Actual |',
  '| --- | --- | --- |',
  '| Pay | an order | ~~nothing~~ an error |',
  '',
  '```js',
  'export function total(items) {',
  '  return items.reduce((sum, i) => sum + i.price, 0);',
  '}',
  LONG_LINE,
  '```',
  '',
  '[click](javascript:alert(1)) and <img src=x onerror=alert(1)>',
  '',
  '<script>alert(1)</script>',
].join('\n');

const COMMENT_BODY = [
  '### Root cause',
  '',
  '- [x] found it',
  '- [ ] fixed it',
  '',
  '[again](javascript:alert(2)) <img src=x onerror=alert(2)> <script>alert(2)</script>',
].join('\n');

let db: TestDatabase;
let orchard: RunningOrchard;
let browser: Browser;

beforeAll(async () => {
  await ensureWebBuilt();
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  db = await createTestDatabase();
  orchard = await startOrchard({ databaseUrl: db.url });
  browser = await launchBrowser();
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await orchard?.stop();
  await db?.drop();
});

/** What the page holds that content must never produce: handlers, script URLs, foreign scripts. */
function hazards(page: Page) {
  return page.evaluate(() => {
    const all = [...document.querySelectorAll('*')];
    return {
      handlers: all.flatMap((el) =>
        [...el.attributes].filter((a) => /^on/i.test(a.name)).map((a) => `${el.tagName} ${a.name}`),
      ),
      scriptUrls: all.flatMap((el) =>
        [...el.attributes]
          .filter((a) => /^\s*(javascript|vbscript|data):/i.test(a.value))
          .map((a) => `${el.tagName} ${a.name}=${a.value}`),
      ),
      // The app's own scripts are its module bundle, loaded from /assets; anything else came from content.
      scripts: [...document.querySelectorAll('script')]
        .filter((s) => !new URL(s.src || 'inline:', location.href).pathname.startsWith('/assets/'))
        .map((s) => s.outerHTML),
      pageWidth: {
        scroll: document.documentElement.scrollWidth,
        client: document.documentElement.clientWidth,
      },
    };
  });
}

test('issue texts render as sanitised Markdown with highlighted code, and the comment box previews it', async () => {
  const context = await browser.newContext({ baseURL: orchard.url, viewport: { width: 1280, height: 900 } });
  const api: ApiSession = await createAdminSession(context);
  expect((await api.call('POST', '/api/projects', { name: 'Notes', slug: SLUG })).status).toBe(201);
  const issue = await api.call<{ number: number }>('POST', `/api/projects/${SLUG}/issues`, {
    title: 'Checkout fails',
    body: ISSUE_BODY,
  });
  expect(issue.status).toBe(201);
  const comment = await api.call('POST', `/api/projects/${SLUG}/issues/${issue.body.number}/comments`, {
    body: COMMENT_BODY,
  });
  expect(comment.status).toBe(201);

  const page = await context.newPage();
  const problems = watchPageErrors(page);
  const dialogs: string[] = [];
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  await page.goto(`/projects/${SLUG}/issues/${issue.body.number}`);

  // Rendered: elements, not the Markdown's characters.
  const activity = page.getByRole('list', { name: 'Activity' });
  await expectVisible(activity.getByRole('heading', { name: 'Steps to reproduce', level: 2 }));
  await expectVisible(activity.getByRole('heading', { name: 'Root cause', level: 3 }));
  const table = activity.getByRole('table');
  await expectVisible(table.getByRole('columnheader', { name: 'Expected' }));
  await expectVisible(table.getByRole('cell', { name: 'nothing an error' }));
  await expect(table.locator('del').textContent()).resolves.toBe('nothing');
  await expect(activity.getByRole('checkbox').count()).resolves.toBe(2);
  await expect(activity.getByRole('checkbox').first().isChecked()).resolves.toBe(true);

  // The code block is highlighted: highlight.js token spans around its keywords.
  const code = activity.locator('pre code.language-js');
  await expectVisible(code);
  await expect(code.locator('span.hljs-keyword').first().textContent()).resolves.toBe('export');
  expect(await code.locator('span[class^="hljs-"]').count()).toBeGreaterThan(3);

  // The hostile parts are inert: the link has no target, the HTML shows as the text it is.
  await expectVisible(activity.getByText('click', { exact: true }));
  await expectVisible(activity.getByText('<img src=x onerror=alert(1)>', { exact: false }));
  await expectVisible(activity.getByText('<script>alert(1)</script>'));
  await expectVisible(activity.getByText('<script>alert(2)</script>', { exact: false }));
  await expect(activity.locator('img').count()).resolves.toBe(0);
  const found = await hazards(page);
  expect(found.handlers).toEqual([]);
  expect(found.scriptUrls).toEqual([]);
  expect(found.scripts).toEqual([]);
  // The long code line scrolls inside its block instead of widening the page.
  expect(found.pageWidth.scroll).toBeLessThanOrEqual(found.pageWidth.client);
  const pre = activity.locator('pre').first();
  expect(await pre.evaluate((el) => el.scrollWidth > el.clientWidth)).toBe(true);
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'markdown-issue.png'), fullPage: true });

  // The comment box: Write and Preview tabs, by mouse and by keyboard.
  const form = page.getByRole('form', { name: 'Add a comment' });
  const write = form.getByRole('tab', { name: 'Write' });
  const preview = form.getByRole('tab', { name: 'Preview' });
  await expect(write.getAttribute('aria-selected')).resolves.toBe('true');
  await form
    .getByLabel('Add a comment')
    .fill(
      '#### Looks fixed\n\n| a | b |\n| - | - |\n| 1 | 2 |\n\n```ts\nconst ok: boolean = true;\n```\n\n<img src=x onerror=alert(3)>',
    );
  await preview.click();
  await expect(preview.getAttribute('aria-selected')).resolves.toBe('true');
  const panel = form.getByRole('tabpanel', { name: 'Preview' });
  await expectVisible(panel.getByRole('heading', { name: 'Looks fixed', level: 4 }));
  await expectVisible(panel.getByRole('cell', { name: '2' }));
  await expectVisible(panel.locator('code.language-ts span.hljs-keyword').first());
  await expectVisible(panel.getByText('<img src=x onerror=alert(3)>'));
  await expect(form.getByLabel('Add a comment').isVisible()).resolves.toBe(false);
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'markdown-preview.png'), fullPage: true });
  // Arrow keys move between the tabs (the selected one is the only one in the tab order).
  await preview.press('ArrowLeft');
  await expect(write.getAttribute('aria-selected')).resolves.toBe('true');
  await expect(write.evaluate((el) => el === document.activeElement)).resolves.toBe(true);
  await expectVisible(form.getByLabel('Add a comment'));
  await write.press('End');
  await expect(preview.getAttribute('aria-selected')).resolves.toBe('true');
  await expect(preview.getAttribute('tabindex')).resolves.toBe('0');
  await expect(write.getAttribute('tabindex')).resolves.toBe('-1');

  // Posted from the preview, the comment joins the activity rendered, and the box is empty again.
  await form.getByRole('button', { name: 'Comment' }).click();
  await expectVisible(activity.getByRole('heading', { name: 'Looks fixed', level: 4 }));
  await expect(write.getAttribute('aria-selected')).resolves.toBe('true');
  await expect(form.getByLabel('Add a comment').inputValue()).resolves.toBe('');
  // An empty comment submitted from the preview: the browser's "fill this in" needs the box, so it comes back.
  await preview.click();
  await expectVisible(form.getByRole('tabpanel', { name: 'Preview' }).getByText('Nothing to preview.'));
  await form.getByRole('button', { name: 'Comment' }).click();
  await expect(write.getAttribute('aria-selected')).resolves.toBe('true');
  await until(
    () => form.getByLabel('Add a comment').evaluate((el) => el === document.activeElement),
    10_000,
    'the comment box to take the focus',
  );

  const after = await hazards(page);
  expect(after.handlers).toEqual([]);
  expect(after.scriptUrls).toEqual([]);
  expect(after.scripts).toEqual([]);
  // Once every image on the page has loaded or failed, an onerror that rendered would have fired.
  await page.waitForFunction(() => [...document.images].every((img) => img.complete), null, {
    timeout: 10_000,
  });
  expect(dialogs).toEqual([]);
  expect(problems).toEqual([]);
  await context.close();
}, 120_000);

test('the new issue form previews the description before the issue exists', async () => {
  const context = await browser.newContext({ baseURL: orchard.url, viewport: { width: 1280, height: 900 } });
  await signInAdmin(context);
  const page = await context.newPage();
  const problems = watchPageErrors(page);
  await page.goto(`/projects/${SLUG}/issues`);
  const form = page.getByRole('form', { name: 'New issue' });
  await form.getByLabel('Title').fill('Preview first');
  await form.getByLabel('Description').fill('**bold** and `code`');
  await form.getByRole('tab', { name: 'Preview' }).click();
  const panel = form.getByRole('tabpanel', { name: 'Preview' });
  await expectVisible(panel.locator('strong').getByText('bold'));
  await expectVisible(panel.locator('code').getByText('code'));
  await form.getByRole('button', { name: 'Create issue' }).click();
  await until(async () => /\/issues\/\d+$/.test(new URL(page.url()).pathname), 30_000, 'the new issue page');
  await expectVisible(page.getByRole('list', { name: 'Activity' }).locator('strong').getByText('bold'));
  expect(problems).toEqual([]);
  await context.close();
}, 60_000);
