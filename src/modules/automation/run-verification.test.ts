import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { buffer } from 'node:stream/consumers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FsBlobStore } from '../../platform/blobs/index.ts';
import { type ArtifactRef, blobArtifactStore } from './artifacts.ts';
import { BrowserPool } from './browser-pool.ts';
import { MAX_SCREENSHOT_HEIGHT, runVerification, type VerificationOptions } from './run-verification.ts';
import { SmokeSuite, type SmokeSuiteInput } from './smoke-suite.ts';
import { startTestSite, type TestSite } from './test-site.test-support.ts';
import { BlockedUrlError, createUrlGuard } from './url-guard.ts';

const PNG_MAGIC = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
let site: TestSite;
let pool: BrowserPool;
let dir: string;
let blobs: FsBlobStore;
let runs = 0;

beforeAll(async () => {
  site = await startTestSite();
  pool = new BrowserPool({ recycleAfter: 50, maxConcurrency: 1 });
  dir = await mkdtemp(path.join(os.tmpdir(), 'orchard-automation-'));
  blobs = new FsBlobStore(dir);
});
afterAll(async () => {
  await pool?.close();
  await site?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

function verify(suite: SmokeSuiteInput, options: Partial<VerificationOptions> = {}) {
  const artifacts: ArtifactRef[] = [];
  const promise = runVerification({
    baseUrl: site.url,
    suite: SmokeSuite.parse(suite),
    pool,
    guard: createUrlGuard({ environment: [{ hostname: '127.0.0.1', port: site.port }] }),
    artifacts: blobArtifactStore(blobs, (id) => `/api/artifacts/${id}`),
    artifactPrefix: `runs/${++runs}`,
    onArtifact: (a) => artifacts.push(a),
    ...options,
  });
  return { promise, artifacts };
}

async function blob(ref: ArtifactRef | undefined): Promise<Buffer> {
  const found = await blobs.get(ref!.blobId);
  return buffer(found!.stream);
}

describe('runVerification (real Chromium)', () => {
  it('passes a suite: every page checked, a PNG screenshot each and a HAR listing the requests', async () => {
    const { promise, artifacts } = verify({
      pages: [
        {
          name: 'Home',
          path: '/',
          steps: [{ expectText: 'Welcome to Photos' }, { expectVisible: 'body[data-ready=yes]' }],
        },
        {
          name: 'Photos',
          path: '/photos',
          steps: [
            { fill: '#title', value: 'Sunset' },
            { select: '#kind', value: 'b' },
            { click: 'text=Add photo' },
            { expectText: 'Sunset' },
            { screenshot: 'after-add' },
          ],
        },
      ],
    });
    const result = await promise;
    expect(result.pages.flatMap((p) => p.checks.filter((c) => !c.passed))).toEqual([]);
    expect(result.passed).toBe(true);
    expect(result.trace).toBeUndefined();
    expect(result.pages.map((p) => [p.name, p.url, p.passed])).toEqual([
      ['Home', `${site.url}/`, true],
      ['Photos', `${site.url}/photos`, true],
    ]);
    expect(result.pages[1]!.checks.map((c) => c.name)).toEqual([
      'load /photos',
      'fill "#title"',
      'select "b" in "#kind"',
      'click "text=Add photo"',
      'expect text "Sunset"',
      'screenshot after-add',
      'no console errors',
      'no failed requests',
    ]);

    const shots = [
      result.pages[0]!.screenshot,
      result.pages[1]!.screenshot,
      result.pages[1]!.stepScreenshots[0],
    ];
    for (const shot of shots) {
      const png = await blob(shot);
      expect(png.subarray(0, 8).equals(PNG_MAGIC)).toBe(true);
      expect(png.length).toBeGreaterThan(2_000);
      expect(shot).toMatchObject({ kind: 'screenshot', contentType: 'image/png', size: png.length });
    }
    expect(result.pages[0]!.screenshot!.blobId).toBe(`runs/${runs}/01-home.png`);
    expect(result.pages[0]!.screenshot!.url).toBe(`/api/artifacts/runs/${runs}/01-home.png`);

    const har = JSON.parse((await blob(result.har)).toString('utf8')) as {
      log: { entries: Array<{ request: { url: string } }> };
    };
    const urls = har.log.entries.map((e) => e.request.url);
    expect(urls).toEqual(
      expect.arrayContaining([`${site.url}/`, `${site.url}/app.js`, `${site.url}/photos`]),
    );
    expect(artifacts.map((a) => a.kind).sort()).toEqual(['har', 'screenshot', 'screenshot', 'screenshot']);
  });

  it('screenshots a page far taller than a screenshot may be down to the height it stops at', async () => {
    const { promise } = verify({ pages: [{ name: 'Tall', path: '/tall', steps: [{ expectText: 'Tall' }] }] });
    const result = await promise;
    expect(result.pages[0]!.checks.filter((c) => !c.passed)).toEqual([]);
    const png = await blob(result.pages[0]!.screenshot);
    expect(png.subarray(0, 8).equals(PNG_MAGIC)).toBe(true);
    // The PNG header's height (IHDR: bytes 20–23).
    expect(png.readUInt32BE(20)).toBe(MAX_SCREENSHOT_HEIGHT);
  });

  it('screenshots a large JSON document as the window shows it', async () => {
    const { promise } = verify({
      pages: [{ name: 'Document', path: '/big.json', steps: [{ expectText: '"openapi":"3.1.0"' }] }],
    });
    const result = await promise;
    expect(result.pages[0]!.checks.filter((c) => !c.passed)).toEqual([]);
    const png = await blob(result.pages[0]!.screenshot);
    expect(png.readUInt32BE(20)).toBe(800);
  });

  it('a failing expectation fails its check with a clear message and keeps a trace zip', async () => {
    const result = await verify(
      { pages: [{ name: 'Home', path: '/', steps: [{ expectText: 'Goodbye' }, { expectVisible: 'h1' }] }] },
      { expectTimeoutMs: 300 },
    ).promise;
    expect(result.passed).toBe(false);
    const page = result.pages[0]!;
    expect(page.passed).toBe(false);
    expect(page.checks.find((c) => !c.passed)).toEqual({
      name: 'expect text "Goodbye"',
      passed: false,
      message: 'the text "Goodbye" did not appear within 0.3 s',
      step: 0,
    });
    // An expectation failing does not stop the page: the next one is still checked.
    expect(page.checks.find((c) => c.name === 'expect visible "h1"')?.passed).toBe(true);
    const zip = await blob(result.trace);
    expect(zip.subarray(0, 4).toString('latin1')).toBe('PK\x03\x04');
    expect(result.trace).toMatchObject({ kind: 'trace', contentType: 'application/zip' });
  });

  it('captures console errors and failed requests; the guard aborts a subrequest to a disallowed host', async () => {
    const result = await verify({
      pages: [{ name: 'Broken', path: '/broken', steps: [{ expectText: 'Broken' }] }],
    }).promise;
    const page = result.pages[0]!;
    expect(page.consoleErrors).toContain('boom from the page');
    expect(page.failedRequests).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          method: 'GET',
          url: `${site.url}/api/missing`,
          status: 404,
          resourceType: 'fetch',
        }),
        expect.objectContaining({
          url: `${site.url}/api/proxied`,
          status: 502,
          error: "from Orchard's proxy: no answer from the app (ECONNRESET)",
        }),
        expect.objectContaining({
          url: 'http://blocked.example/pixel.png',
          resourceType: 'image',
          error:
            'blocked by the URL guard: blocked.example:80 is not the environment under verification and not in automation.allowHosts',
        }),
      ]),
    );
    expect(result.blockedRequests).toEqual([
      {
        url: 'http://blocked.example/pixel.png',
        reason: expect.stringMatching(/blocked\.example/),
        layer: 'route',
      },
    ]);
    expect(page.checks.filter((c) => !c.passed).map((c) => c.name)).toEqual([
      'no console errors',
      'no failed requests',
    ]);
    expect(page.checks.find((c) => c.name === 'no console errors')?.message).toMatch(
      /^\d+ console errors?, first: /,
    );
    expect(result.passed).toBe(false);
  });

  it('a redirect to the metadata address, which routing cannot see, is refused by the guard proxy', async () => {
    const result = await verify({ pages: [{ name: 'Sneaky', path: '/sneaky', steps: [] }] }).promise;
    expect(site.hits).toContain('/to-metadata');
    expect(result.blockedRequests).toEqual([
      {
        url: 'http://169.254.169.254/latest/meta-data/',
        reason: expect.stringMatching(/169\.254\.169\.254/),
        layer: 'proxy',
      },
    ]);
    expect(result.pages[0]!.failedRequests).toEqual([
      expect.objectContaining({
        url: 'http://169.254.169.254/latest/meta-data/',
        status: 403,
        error: expect.stringMatching(/^blocked by the URL guard/),
      }),
    ]);
  });

  it("visits an Orchard deployment by its <env>--<slug>.localhost name on Orchard's port", async () => {
    const result = await verify(
      { pages: [{ name: 'Home', path: '/', steps: [{ expectText: 'Welcome' }] }] },
      {
        baseUrl: `http://staging--photos.localhost:${site.port}/`,
        guard: createUrlGuard({ environment: [{ hostname: 'staging--photos.localhost', port: site.port }] }),
      },
    ).promise;
    expect(result.passed).toBe(true);
    expect(result.pages[0]!.url).toBe(`http://staging--photos.localhost:${site.port}/`);
  });

  it('refuses a start URL outside the policy before opening a browser context', async () => {
    const before = pool.stats.tasks;
    for (const baseUrl of ['http://169.254.169.254/', 'http://10.0.0.1:8080/', 'https://example.com/']) {
      await expect(verify({ pages: [{ name: 'x', path: '/' }] }, { baseUrl }).promise).rejects.toBeInstanceOf(
        BlockedUrlError,
      );
    }
    expect(pool.stats.tasks).toBe(before);
  });

  it('cancellation closes the context and rejects with the reason', async () => {
    const controller = new AbortController();
    const seen = site.hits.length;
    const { promise } = verify({ pages: [{ name: 'Never', path: '/never' }] }, { signal: controller.signal });
    const outcome = promise.catch((e: unknown) => e);
    await until(() => site.hits.slice(seen).includes('/never'));
    controller.abort(new Error('cancelled by the test'));
    expect(await outcome).toMatchObject({ message: 'cancelled by the test' });
    // The pool is still usable afterwards.
    const next = await verify({ pages: [{ name: 'Home', path: '/' }] }).promise;
    expect(next.passed).toBe(true);
  });

  it('the total time budget marks pages it could not reach as not run', async () => {
    const result = await verify(
      {
        pages: [
          { name: 'Never', path: '/never' },
          { name: 'Home', path: '/' },
        ],
      },
      { totalTimeoutMs: 3_000, pageTimeoutMs: 60_000 },
    ).promise;
    // The first page waits for an answer that never comes until the task's budget is spent.
    expect(result.pages[0]!.passed).toBe(false);
    expect(result.pages[0]!.checks[0]!.message).toMatch(/Timeout \d+ms exceeded|budget ran out/);
    expect(result.pages[1]!.checks).toEqual([
      { name: 'time budget', passed: false, message: "not run: the task's 3 s budget ran out" },
    ]);
    expect(result.passed).toBe(false);
  });
});

async function until(probe: () => boolean, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 20));
  }
}
