import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { hostLabel } from '../src/modules/deploy/index.ts';
import { type MockLlm, startMockLlm } from '../src/modules/llm/mock/index.ts';
import { errorReportingDeps, recordErrors } from '../src/modules/observability/index.ts';
import { systemClock } from '../src/platform/clock.ts';
import { createLogger } from '../src/platform/log.ts';
import { createTestDatabase, type TestDatabase } from '../test/db.ts';
import { commitFiles, gitOk, localRepo } from '../test/git.ts';
import { ensureEnvironment } from '../test/support/deploy-fixture.ts';
import { until } from '../test/support/until.ts';
import { ADMIN, signInAdmin } from './support/api-session.ts';
import { launchBrowser, watchPageErrors } from './support/browser.ts';
import { ensureWebBuilt } from './support/build-web.ts';
import { type OrchardApi, setupAdmin } from './support/code-review-fixtures.ts';
import { REPO_ROOT, type RunningOrchard, startOrchard } from './support/start-orchard.ts';
import { expectVisible, waitForPath } from './support/wait.ts';

/**
 * Phones and narrow windows: every page of the router, at 390×844 and at 1440×900, shows no
 * horizontal overflow and reports no error; the top bar becomes a menu, tables become stacked
 * rows and the Studio's panes become tabs on a phone.
 *
 * The pages come from web/src/app/routes.tsx, so a new page is covered as soon as it has a route
 * (and fails here until its parameters are filled below).
 */

const SCREENSHOT_DIR = path.join(os.tmpdir(), 'orchard-e2e', 'responsive');
const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1440, height: 900 };
const SIZES = [
  ['390', PHONE],
  ['1440', DESKTOP],
] as const;
const SLUG = 'shop';

// Long things a page has to wrap or scroll in their own box: no spaces to break at.
const LONG_BRANCH = 'feature/checkout-with-discount-codes-and-gift-cards-for-returning-customers';
const LONG_URL = `https://docs.example.test/payments/providers/${'very-long-segment-'.repeat(6)}end`;
const LONG_CODE = `const receipt = [${Array.from({ length: 30 }, (_, i) => `'item-${i}'`).join(', ')}];`;
const LONG_WORD = 'Supercalifragilisticexpialidocious'.repeat(3);

const PIPELINE = `jobs:
  build:
    steps:
      - name: build the shop with a step name long enough to need wrapping on a phone
        run: echo "${LONG_URL}"
`;

let db: TestDatabase;
let orchard: RunningOrchard;
let browser: Browser;
let api: OrchardApi;
let mock: MockLlm;
let configFile: string;
let work: string;
const setupFailures: string[] = [];

/** The values that fill the routes' parameters, keyed by the path segment before the parameter. */
const params: Record<string, string> = { projects: SLUG, 'app-sign-in': 'no-such-sign-in' };
/** Query strings some pages need to show something (a file, a comparison). */
const queries: Record<string, string> = {
  '/projects/:slug/code/blob': '?ref=main&path=README.md',
  '/projects/:slug/compare': `?base=main&head=${encodeURIComponent(LONG_BRANCH)}`,
};

interface RoutePattern {
  path: string;
  access: 'user' | 'guest' | 'setup' | 'public';
}

/** The router's patterns, read from its source (importing it would pull the UI into Node). */
async function routePatterns(): Promise<RoutePattern[]> {
  const source = await readFile(path.join(REPO_ROOT, 'web', 'src', 'app', 'routes.tsx'), 'utf8');
  const found = [...source.matchAll(/\{\s*path:\s*'([^']+)'[^}]*\}/g)].map((m) => ({
    path: m[1]!,
    access: (/access:\s*'(\w+)'/.exec(m[0])?.[1] ?? 'user') as RoutePattern['access'],
  }));
  if (found.length < 10) throw new Error(`read only ${found.length} routes from routes.tsx`);
  return found;
}

function fill(pattern: string): string {
  const segments = pattern.split('/');
  const filled = segments.map((part, i) => {
    if (!part.startsWith(':')) return part;
    const value = params[segments[i - 1]!];
    if (value === undefined)
      throw new Error(`no value for ${part} in ${pattern}: add one to params in e2e/responsive.test.ts`);
    return encodeURIComponent(value);
  });
  return filled.join('/') + (queries[pattern] ?? '');
}

beforeAll(async () => {
  await ensureWebBuilt();
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  db = await createTestDatabase();
  mock = await startMockLlm();
  configFile = path.join(os.tmpdir(), `orchard-responsive-${process.pid}.config.json`);
  await writeFile(
    configFile,
    JSON.stringify({
      llm: {
        providers: [
          {
            name: 'openai',
            kind: 'openai-compatible',
            baseUrl: `${mock.url}/v1`,
            apiKey: 'sk-test',
            models: [{ id: 'gpt-mock', input: 1.25, output: 10 }],
          },
        ],
        aliases: { coder: ['openai/gpt-mock'] },
      },
    }),
  );
  orchard = await startOrchard({
    databaseUrl: db.url,
    env: { ORCHARD_CONFIG: configFile, ORCHARD_ALLOW_PRIVATE_WEBHOOK_TARGETS: 'true' },
  });
  browser = await launchBrowser();
  work = await localRepo();
  // The first-run page can be seen only before the admin exists.
  const setupPages = (await routePatterns()).filter((r) => r.access === 'setup').map((r) => visit(r.path));
  for (const [size, viewport] of SIZES) {
    const context = await browser.newContext({ baseURL: orchard.url, viewport });
    await visitAll(context, setupPages, size, setupFailures);
    await context.close();
  }
  await createData();
}, 360_000);

afterAll(async () => {
  await browser?.close();
  await orchard?.stop();
  await mock?.close();
  await db?.drop();
  if (configFile) await rm(configFile, { force: true });
  if (work) await rm(work, { recursive: true, force: true });
});

/** Creates what every page needs to show something real: a repo, its reviews, runs and sessions. */
async function createData() {
  api = await setupAdmin(orchard.url, ADMIN);
  await api.call('POST', '/api/projects', {
    name: 'Shop',
    slug: SLUG,
    description: `A small web shop. Docs: ${LONG_URL}`,
  });
  const remote = new URL(`${orchard.url}/git/${SLUG}.git`);
  remote.username = 'git';
  remote.password = api.token;

  params.commits = await commitFiles(
    work,
    {
      'README.md': `# Shop\n\nSee ${LONG_URL}\n\n\`\`\`js\n${LONG_CODE}\n\`\`\`\n`,
      'src/app.js': `${LONG_CODE}\nexport function total(items) {\n  return items.length;\n}\n`,
      '.orchard/pipeline.yml': PIPELINE,
    },
    `Start the shop from ${LONG_URL}`,
  );
  await gitOk(['push', '-q', remote.toString(), 'main'], work);
  await gitOk(['checkout', '-q', '-b', LONG_BRANCH], work);
  await commitFiles(work, { 'src/app.js': `${LONG_CODE}\nexport const total = () => 0;\n` }, LONG_WORD);
  await gitOk(['push', '-q', remote.toString(), LONG_BRANCH], work);

  const mr = await api.call<{ number: number }>('POST', `/api/projects/${SLUG}/merge-requests`, {
    title: `Discount codes ${LONG_WORD}`,
    sourceBranch: LONG_BRANCH,
    targetBranch: 'main',
    description: `Implements ${LONG_URL}\n\n\`\`\`js\n${LONG_CODE}\n\`\`\``,
  });
  params['merge-requests'] = String(mr.number);
  const issue = await api.call<{ number: number }>('POST', `/api/projects/${SLUG}/issues`, {
    title: `Checkout fails ${LONG_WORD}`,
    body: `Seen at ${LONG_URL}\n\n\`\`\`js\n${LONG_CODE}\n\`\`\`\n\n| a | b | c |\n| - | - | - |\n| ${LONG_WORD} | ${LONG_URL} | x |`,
  });
  params.issues = String(issue.number);
  const hook = await api.call<{ id: string }>('POST', `/api/projects/${SLUG}/webhooks`, {
    url: `http://127.0.0.1:9/hooks/${'orchard-'.repeat(10)}end`,
    secret: 'webhook-secret-123',
    events: ['issue'],
  });
  params.webhooks = hook.id;
  await api.call('PUT', `/api/projects/${SLUG}/secrets/STRIPE_API_KEY_FOR_THE_CHECKOUT_PAGE_IN_PRODUCTION`, {
    value: 'sk_live_123',
  });
  const blueprint = await api.call<{ id: string }>('POST', `/api/projects/${SLUG}/blueprints`, {
    template: 'crud-app',
  });
  params.blueprints = blueprint.id;
  // A turn of its chat with the Architect opens its conversation (the Conversations pages).
  const turn = await api.call<{ blueprint: { conversationId: string } }>(
    'POST',
    `/api/blueprints/${blueprint.id}/messages`,
    { content: 'add entity Discount with code:text!, note:longtext', mode: 'rules' },
  );
  params.conversations = turn.blueprint.conversationId;

  // An agent session against the mock LLM: one file written, then done.
  mock.setScenario([
    { toolCall: { name: 'write_file', args: { path: 'hello.txt', content: `${LONG_URL}\n` } } },
    { toolCall: { name: 'finish', args: { summary: `Wrote hello.txt with ${LONG_URL}.` } } },
  ]);
  const session = await api.call<{ id: string }>('POST', `/api/projects/${SLUG}/agent-sessions`, {
    title: `Add a greeting ${LONG_WORD}`,
  });
  params['agent-sessions'] = session.id;

  // Everything that runs has finished before a page is looked at: a settled page, not a moving one.
  const ended = await until(
    async () => {
      const s = await api.call<{ status: string }>('GET', `/api/agent-sessions/${session.id}`);
      return ['succeeded', 'failed', 'cancelled'].includes(s.status) && s;
    },
    120_000,
    'the agent session to end',
  );
  expect(ended.status).toBe('succeeded');
  // Three pushes, three pipelines: main, the long branch, and the agent's branch.
  const pipelines = await until(
    async () => {
      const page = await api.call<{ items: Array<{ number: number; status: string }> }>(
        'GET',
        `/api/projects/${SLUG}/pipelines`,
      );
      return (
        page.items.length >= 3 && page.items.every((p) => !['queued', 'running'].includes(p.status)) && page
      );
    },
    120_000,
    'the pipelines to end',
  );
  params.pipelines = String(pipelines.items.at(-1)!.number);
  const operations = await api.call<{ items: Array<{ id: string; status: string }> }>(
    'GET',
    '/api/operations',
  );
  params.operations = operations.items[0]!.id;

  // One-time links' pages: an invitation, and a password reset of a person who has a password.
  const secretOf = (link: { path: string }) => link.path.split('/').pop()!;
  const invited = await api.call<{ link: { path: string } }>('POST', '/api/admin/invitations', {
    username: 'newcomer-with-a-rather-long-name',
    email: `newcomer.${'long-'.repeat(6)}name@example.test`,
  });
  params.invite = secretOf(invited.link);
  const person = await api.call<{ id: string }>('POST', '/api/users', {
    username: 'forgetful',
    email: 'forgetful@example.test',
    password: 'a password soon forgotten',
  });
  const reset = await api.call<{ link: { path: string } }>('POST', `/api/users/${person.id}/account-links`, {
    purpose: 'reset',
  });
  params['reset-password'] = secretOf(reset.link);

  // An environment with an error of its app (as the OTLP ingest records them), for its Errors pages.
  params.environments ??= 'staging';
  params.errors = await environmentErrorGroup(params.environments, `${LONG_WORD} at ${LONG_URL}`);
  // An alert rule on it with long words, for its Alerts page.
  await api.call(
    'POST',
    `/api/projects/${SLUG}/environments/${encodeURIComponent(params.environments)}/alerts`,
    {
      kind: 'metric_threshold',
      name: LONG_WORD.slice(0, 100),
      metric: `queue.depth.${LONG_WORD}`,
      aggregation: 'avg',
      operator: '>',
      attributes: { queue: LONG_WORD },
      windowMinutes: 5,
      threshold: 100,
    },
  );
}

/** An environment of the shop (made if missing) and an error group in it, with a long message and stack. */
async function environmentErrorGroup(name: string, message: string): Promise<string> {
  const project = (await db.db.query<{ id: string }>('SELECT id FROM projects WHERE slug = $1', [SLUG]))
    .rows[0]!;
  // Kept as it is when another part of the setup has made it already.
  const env = await ensureEnvironment(db.db, {
    projectId: project.id,
    name,
    kind: 'staging',
    branch: null,
    hostLabel: hostLabel(name, SLUG),
    now: new Date(),
  });
  const deps = errorReportingDeps({ db: db.db, clock: systemClock, logger: createLogger({ level: 'warn' }) });
  const { groups } = await recordErrors(deps, [
    {
      scope: { environmentId: env.id, projectId: project.id },
      type: 'TypeError',
      message,
      stack: `TypeError: ${message}\n    at ${LONG_WORD} (/srv/${'very-long-directory-'.repeat(5)}/src/app.js:1:1)`,
      time: new Date(),
      traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
    },
  ]);
  return groups[0]!.group.id;
}

/**
 * Waits until the page has settled: the app has drawn a heading, no spinner turns, and no request
 * (event streams aside) has been in flight for a moment — a lazily loaded chunk (the Markdown
 * renderer) is fetched only after the data that needs it has rendered.
 */
function settler(page: Page, quietMs = 300) {
  const inFlight = new Set<unknown>();
  let lastActivity = Date.now();
  page.on('request', (r) => {
    if (r.resourceType() === 'eventsource') return;
    inFlight.add(r);
    lastActivity = Date.now();
  });
  const done = (r: unknown) => {
    if (inFlight.delete(r)) lastActivity = Date.now();
  };
  page.on('requestfinished', done);
  page.on('requestfailed', done);
  const quiet = () => inFlight.size === 0 && Date.now() - lastActivity >= quietMs;
  return (what: string) =>
    until(
      async () =>
        quiet() &&
        (await page.evaluate(
          () =>
            new Promise<boolean>((resolve) =>
              // Two frames: whatever the last response rendered has been laid out.
              requestAnimationFrame(() =>
                requestAnimationFrame(() =>
                  resolve(
                    document.querySelector('h1') !== null &&
                      document.querySelector('[role="status"] .animate-spin') === null,
                  ),
                ),
              ),
            ),
        )) &&
        quiet(),
      30_000,
      `${what} to settle`,
      50,
    );
}

/** The page's horizontal overflow: null when none, else the widths and the elements that stick out. */
function overflowOf(page: Page) {
  return page.evaluate(() => {
    const root = document.documentElement;
    const width = root.clientWidth;
    if (root.scrollWidth <= width) return null;
    // The element's box, or its visible content (a long word in a box that does not clip), passes the edge.
    const sticksOut = (el: Element) => {
      const r = el.getBoundingClientRect();
      if (r.width === 0 && r.height === 0) return false;
      if (r.right > width + 0.5) return true;
      return getComputedStyle(el).overflowX === 'visible' && r.left + el.scrollWidth > width + 0.5;
    };
    // An element inside a box that scrolls or clips, itself within the window, does not widen the
    // page; but a positioned one (an sr-only label) escapes every box up to its containing block.
    const positioned = (el: Element) => ['absolute', 'fixed'].includes(getComputedStyle(el).position);
    const contained = (el: Element) => {
      let escaping = positioned(el);
      for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
        const style = getComputedStyle(a);
        if (escaping && style.position === 'static') continue;
        if (style.overflowX !== 'visible' && !sticksOut(a)) return true;
        escaping = positioned(a);
      }
      return false;
    };
    const describe = (el: Element) => {
      const chain: string[] = [];
      for (let a: Element | null = el; a && a !== document.body && chain.length < 4; a = a.parentElement) {
        const label = a.getAttribute('aria-label') ?? a.getAttribute('data-testid');
        const cls = [...a.classList].slice(0, 3).join('.');
        chain.unshift(`${a.tagName.toLowerCase()}${label ? `[${label}]` : ''}${cls ? `.${cls}` : ''}`);
      }
      const text = (el.textContent ?? '').trim().slice(0, 60);
      return `${chain.join(' > ')} (right ${Math.round(el.getBoundingClientRect().right)}px) "${text}"`;
    };
    const out = [...document.body.querySelectorAll('*')].filter((el) => sticksOut(el) && !contained(el));
    // The innermost ones say what is too wide.
    const leaves = out.filter((el) => !out.some((other) => other !== el && el.contains(other)));
    return { scrollWidth: root.scrollWidth, width, elements: leaves.slice(0, 6).map(describe) };
  });
}

/**
 * Every cell of a stacked table carries its column's header as `data-label`: the header's visible
 * text, so empty for a column whose header only a screen reader hears (a row's actions).
 */
function stackedTableLabelErrors(page: Page) {
  return page.evaluate(() =>
    [...document.querySelectorAll('table.stack-table')].flatMap((table) => {
      const headers = [...table.querySelectorAll('thead th')].map((th) => {
        const visible = th.cloneNode(true) as Element;
        for (const hidden of visible.querySelectorAll('.sr-only')) hidden.remove();
        return visible.textContent?.trim() ?? '';
      });
      return [...table.querySelectorAll('tbody tr')].flatMap((tr) =>
        [...tr.children].flatMap((cell, i) => {
          if (cell.hasAttribute('colspan')) return [];
          const label = cell.getAttribute('data-label') ?? '';
          return label === headers[i] ? [] : [`column ${i + 1}: data-label "${label}" ≠ "${headers[i]}"`];
        }),
      );
    }),
  );
}

interface PageToVisit {
  /** The route's pattern (names the screenshot). */
  route: string;
  url: string;
}

const visit = (route: string): PageToVisit => ({ route, url: fill(route) });

async function visitAll(context: BrowserContext, pages: PageToVisit[], size: string, failures: string[]) {
  const page = await context.newPage();
  const settled = settler(page);
  const problems = watchPageErrors(page);
  for (const { route, url } of pages) {
    problems.length = 0;
    await page.goto(url);
    await settled(`${url} at ${size}`);
    const name = route.replace(/[/:]+/g, '_').replace(/^_|_$/g, '') || 'home';
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${size}-${name}.png`), fullPage: true });
    const overflow = await overflowOf(page);
    if (overflow)
      failures.push(
        `${url} at ${size}: page is ${overflow.scrollWidth}px wide in ${overflow.width}px\n    ${overflow.elements.join('\n    ')}`,
      );
    for (const error of await stackedTableLabelErrors(page)) failures.push(`${url} at ${size}: ${error}`);
    for (const problem of problems) failures.push(`${url} at ${size}: ${problem}`);
  }
  await page.close();
}

test('every page fits a phone and a desktop, without errors', async () => {
  const routes = await routePatterns();
  const failures: string[] = [...setupFailures];
  // Public pages (one-time links) are seen signed out, as the person a link was made for sees them.
  const guestPages = routes
    .filter((r) => r.access === 'guest' || r.access === 'public')
    .map((r) => visit(r.path));
  const userPages = [
    ...routes.filter((r) => r.access === 'user').map((r) => visit(r.path)),
    { route: 'not-found', url: '/no-such-page' },
  ];
  for (const [size, viewport] of SIZES) {
    const guest = await browser.newContext({ baseURL: orchard.url, viewport });
    await visitAll(guest, guestPages, size, failures);
    await guest.close();
    const context = await browser.newContext({ baseURL: orchard.url, viewport });
    await signInAdmin(context);
    await visitAll(context, userPages, size, failures);
    await context.close();
  }
  expect(failures).toEqual([]);
}, 400_000);

test('on a phone the top bar is a menu: it opens, closes on Escape and on navigation', async () => {
  const context = await browser.newContext({ baseURL: orchard.url, viewport: PHONE });
  await signInAdmin(context);
  const page = await context.newPage();
  const problems = watchPageErrors(page);
  await page.goto('/projects');
  await expectVisible(page.getByRole('heading', { name: 'Projects', level: 1 }));

  const button = page.getByRole('button', { name: 'Menu' });
  const nav = page.getByRole('navigation', { name: 'Main' });
  await expect(button.getAttribute('aria-expanded')).resolves.toBe('false');
  await expect(nav.isVisible()).resolves.toBe(false);
  const menuId = (await button.getAttribute('aria-controls'))!;
  expect(menuId).toBeTruthy();

  // Opened, the menu holds the sections and the user; focus moves into it.
  await button.click();
  await expect(button.getAttribute('aria-expanded')).resolves.toBe('true');
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'menu-open.png') });
  const menu = page.locator(`[id="${menuId}"]`);
  await expectVisible(
    menu.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Operations' }),
  );
  await expectVisible(menu.getByTestId('current-user'));
  await expectVisible(menu.getByRole('button', { name: 'Log out' }));
  await until(
    () => page.evaluate((id) => document.getElementById(id)?.contains(document.activeElement), menuId),
    10_000,
    'the focus to move into the menu',
  );
  const box = (await menu.boundingBox())!;
  expect(box.x).toBeGreaterThanOrEqual(0);
  expect(box.x + box.width).toBeLessThanOrEqual(PHONE.width);

  // Escape closes it and gives the focus back to the button.
  await page.keyboard.press('Escape');
  await expect(button.getAttribute('aria-expanded')).resolves.toBe('false');
  await expect(nav.isVisible()).resolves.toBe(false);
  await expect(button.evaluate((el) => el === document.activeElement)).resolves.toBe(true);

  // A section chosen from it: the page changes and the menu closes.
  await button.click();
  await nav.getByRole('link', { name: 'Operations' }).click();
  await waitForPath(page, '/operations');
  await expectVisible(page.getByRole('heading', { name: 'Operations', level: 1 }));
  await expect(button.getAttribute('aria-expanded')).resolves.toBe('false');
  await expect(nav.isVisible()).resolves.toBe(false);

  // A click outside closes it too.
  await button.click();
  await expectVisible(nav);
  await page.mouse.click(PHONE.width / 2, PHONE.height - 20);
  await expect(button.getAttribute('aria-expanded')).resolves.toBe('false');

  // On a desktop there is no menu button: the sections sit in the bar.
  await page.setViewportSize(DESKTOP);
  await expectVisible(nav.getByRole('link', { name: 'Operations' }));
  await expect(button.isVisible()).resolves.toBe(false);
  await expectVisible(page.getByTestId('current-user'));

  expect(problems).toEqual([]);
  await context.close();
}, 60_000);

/** Where each cell of the table's first row sits, and how it is displayed. */
function firstRowCells(page: Page) {
  return page
    .getByRole('table')
    .first()
    .evaluate((table) =>
      [...table.querySelectorAll('tbody tr:first-child > td')].map((td) => {
        const r = td.getBoundingClientRect();
        return {
          top: r.top,
          right: r.right,
          display: getComputedStyle(td).display,
          label: getComputedStyle(td, '::before').content,
        };
      }),
    );
}

test('on a phone a table is a stack of rows with labelled values; on a desktop a table', async () => {
  const context = await browser.newContext({ baseURL: orchard.url, viewport: PHONE });
  await signInAdmin(context);
  const page = await context.newPage();
  const problems = watchPageErrors(page);
  await page.goto('/operations');
  const table = page.getByRole('table');
  await expectVisible(table.getByRole('link').first());

  const phone = await firstRowCells(page);
  expect(phone.length).toBeGreaterThan(3);
  // One cell under the other, each within the window, each labelled with its column.
  for (const [i, cell] of phone.entries()) {
    if (i > 0) expect(cell.top).toBeGreaterThan(phone[i - 1]!.top);
    expect(cell.right).toBeLessThanOrEqual(PHONE.width);
  }
  expect(phone.map((c) => c.label)).toContain('"Status"');
  await expect(table.locator('thead').isVisible()).resolves.toBe(false);

  await page.setViewportSize(DESKTOP);
  await expectVisible(table.getByRole('columnheader', { name: 'Status' }));
  const desktop = await firstRowCells(page);
  expect(new Set(desktop.map((c) => c.top)).size).toBe(1);
  expect(new Set(desktop.map((c) => c.display))).toEqual(new Set(['table-cell']));
  expect(desktop.map((c) => c.label)).toEqual(desktop.map(() => 'none'));

  expect(problems).toEqual([]);
  await context.close();
}, 60_000);

test("on a phone the Studio's panes are tabs; on a desktop three columns", async () => {
  const context = await browser.newContext({ baseURL: orchard.url, viewport: PHONE });
  await signInAdmin(context);
  const page = await context.newPage();
  const problems = watchPageErrors(page);
  await page.goto(`/projects/${SLUG}/blueprints/${params.blueprints}`);
  const tabs = page.getByRole('tablist', { name: 'Studio panes' });
  await expectVisible(tabs);
  const tab = (name: string) => tabs.getByRole('tab', { name });
  const region = (name: string) => page.getByRole('region', { name, exact: true });

  // Chat first; the others are a tap away.
  await expect(tab('Chat').getAttribute('aria-selected')).resolves.toBe('true');
  await expectVisible(region('Chat'));
  await expect(region('Plan').isVisible()).resolves.toBe(false);
  await expect(region('Preview').isVisible()).resolves.toBe(false);
  await tab('Plan').click();
  await expect(tab('Plan').getAttribute('aria-selected')).resolves.toBe('true');
  await expectVisible(region('Plan'));
  await expectVisible(page.getByRole('article', { name: 'Entity Task' }));
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'studio-plan-tab.png') });
  await expect(region('Chat').isVisible()).resolves.toBe(false);
  // The tab controls its panel, and the keyboard moves between tabs.
  const panelId = (await tab('Plan').getAttribute('aria-controls'))!;
  await expect(page.locator(`[id="${panelId}"]`).getAttribute('role')).resolves.toBe('tabpanel');
  await tab('Plan').press('ArrowRight');
  await expect(tab('Preview').getAttribute('aria-selected')).resolves.toBe('true');
  await expect(tab('Preview').evaluate((el) => el === document.activeElement)).resolves.toBe(true);
  await expectVisible(region('Preview'));
  await expectVisible(region('Activity'));
  await tab('Preview').press('Home');
  await expectVisible(region('Chat'));
  // Every tab fits the phone (the page check sees only the first).
  for (const name of ['Chat', 'Plan', 'Preview']) {
    await tab(name).click();
    await expectVisible(region(name));
    expect(await overflowOf(page), `the ${name} tab`).toBeNull();
  }
  await tab('Chat').click();
  // What was typed in the chat survives a trip to another tab.
  await region('Chat').getByLabel('Message to the Architect').fill('add entity Book');
  await tab('Plan').click();
  await tab('Chat').click();
  await expect(region('Chat').getByLabel('Message to the Architect').inputValue()).resolves.toBe(
    'add entity Book',
  );

  // On a desktop: no tabs, the three panes side by side.
  await page.setViewportSize(DESKTOP);
  await tabs.waitFor({ state: 'detached', timeout: 10_000 });
  const boxes = await Promise.all(['Chat', 'Plan', 'Preview'].map((n) => region(n).boundingBox()));
  for (const box of boxes) expect(box).not.toBeNull();
  expect(boxes[0]!.x + boxes[0]!.width).toBeLessThanOrEqual(boxes[1]!.x);
  expect(boxes[1]!.x + boxes[1]!.width).toBeLessThanOrEqual(boxes[2]!.x);
  await expectVisible(region('Activity'));
  await expect(page.getByRole('tabpanel', { name: 'Chat' }).count()).resolves.toBe(0);

  expect(problems).toEqual([]);
  await context.close();
}, 60_000);
