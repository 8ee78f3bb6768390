import { mkdir } from 'node:fs/promises';
import { request } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { MAIL_TEST_APP } from '../src/modules/services/mail/mail-test-app.test-support.ts';
import { createTestDatabase, type TestDatabase } from '../test/db.ts';
import { ADMIN, signInAdmin } from './support/api-session.ts';
import { launchBrowser, watchPageErrors } from './support/browser.ts';
import { ensureWebBuilt } from './support/build-web.ts';
import { type OrchardApi, setupAdmin } from './support/code-review-fixtures.ts';
import { deployFiles } from './support/deploy-files.ts';
import { type RunningOrchard, startOrchard } from './support/start-orchard.ts';
import { expectVisible, waitForPath } from './support/wait.ts';

/**
 * The email service in the browser: a maintainer attaches Email on the project's Services page; the
 * app deployed after it sends a message through the SMTP login Orchard injected; the Mailbox page
 * shows it (and the next one live, without a reload); opening it shows the HTML in a sandboxed
 * frame where its script does not run.
 */
const SCREENSHOT_DIR = path.join(os.tmpdir(), 'orchard-e2e');
const SLUG = 'mail';
let db: TestDatabase;
let orchard: RunningOrchard;
let browser: Browser;
let api: OrchardApi;

beforeAll(async () => {
  await ensureWebBuilt();
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  db = await createTestDatabase();
  orchard = await startOrchard({
    databaseUrl: db.url,
    // A free port for the relay (another Orchard may hold 2525); apps reached without signing in.
    env: { ORCHARD_SERVICES_SMTP_PORT: '0', ORCHARD_DEPLOY_PRIVATE_BY_DEFAULT: 'false' },
  });
  browser = await launchBrowser();
  api = await setupAdmin(orchard.url, ADMIN);
  await api.call('POST', '/api/projects', { name: 'Mail', slug: SLUG });
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await orchard?.stop();
  await db?.drop();
});

/** A request to the deployed app through Orchard's proxy. */
function app(pathAndQuery: string): Promise<{ status: number; body: string }> {
  const url = new URL(orchard.url);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: url.port,
        path: pathAndQuery,
        headers: { host: `staging--${SLUG}.localhost:${url.port}` },
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8').on('data', (c: string) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

test('attach Email, deploy, send: the message shows in the mailbox, live, its HTML sandboxed', async () => {
  const context = await browser.newContext({ baseURL: orchard.url, viewport: { width: 1280, height: 900 } });
  await signInAdmin(context);
  const page = await context.newPage();
  const problems = watchPageErrors(page);
  const dialogs: string[] = [];
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });

  await page.goto(`/projects/${SLUG}`);
  await page
    .getByRole('navigation', { name: 'Project sections' })
    .getByRole('link', { name: 'Services' })
    .click();
  await waitForPath(page, `/projects/${SLUG}/services`);
  const email = page.getByRole('listitem').filter({ has: page.getByRole('heading', { name: /^Email/ }) });
  await email.getByRole('button', { name: 'Attach' }).click();
  await expectVisible(email.getByText('Attached', { exact: true }));
  await expectVisible(email.getByText(/Each environment gets the variables at its next start/));
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'services.png'), fullPage: true });

  // The app, deployed after the attach: it gets SMTP_* at its start.
  await deployFiles(orchard.url, api, SLUG, MAIL_TEST_APP, 'An app that sends mail');
  const sent = await app('/send?to=ada%40example.com&subject=Welcome%20to%20Mail');
  expect(sent.status, sent.body).toBe(200);

  await email.getByRole('link', { name: 'Mailbox' }).click();
  await waitForPath(page, `/projects/${SLUG}/mailbox`);
  const messages = page.getByRole('list', { name: 'Messages' });
  await expectVisible(messages.getByText('Welcome to Mail'));
  await expectVisible(page.getByText('Live: new mail appears as it arrives'));

  // A message sent while the page is open appears without a reload.
  expect((await app('/send?to=bob%40example.com&subject=Second%20one')).status).toBe(200);
  await expectVisible(messages.getByText('Second one'));

  await messages.getByRole('link', { name: /Welcome to Mail/ }).click();
  await expectVisible(page.getByRole('heading', { name: 'Welcome to Mail', level: 2 }));
  const frame = page.getByTitle('The message as HTML');
  await expect(frame.getAttribute('sandbox')).resolves.toBe('');
  await expectVisible(page.frameLocator('iframe[title="The message as HTML"]').getByText('from'));
  await page.getByRole('button', { name: 'Text' }).click();
  await expectVisible(page.getByTestId('mail-text').getByText('Hello from the app'));
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'mailbox.png'), fullPage: true });
  // The message's <script>alert(1)</script> never ran: the frame's sandbox refused it, and said so.
  expect(dialogs).toEqual([]);
  const blocked =
    /^console: Blocked script execution in 'about:srcdoc' because the document's frame is sandboxed/;
  expect(problems.filter((p) => blocked.test(p)).length).toBeGreaterThan(0);
  expect(problems.filter((p) => !blocked.test(p))).toEqual([]);
  await context.close();
}, 240_000);
