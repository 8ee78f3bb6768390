import type { Browser } from 'playwright-core';
import { afterEach, describe, expect, it } from 'vitest';
import { BrowserPool } from './browser-pool.ts';
import { startTestSite } from './test-site.test-support.ts';

const pools: BrowserPool[] = [];
afterEach(async () => {
  await Promise.all(pools.splice(0).map((p) => p.close()));
});

function pool(options: { recycleAfter?: number; maxConcurrency?: number } = {}) {
  const p = new BrowserPool({
    recycleAfter: options.recycleAfter ?? 10,
    maxConcurrency: options.maxConcurrency ?? 1,
  });
  pools.push(p);
  return p;
}

/** The browser process id, from Chromium itself (playwright's Browser does not expose its process). */
async function browserPid(browser: Browser): Promise<number> {
  const cdp = await browser.newBrowserCDPSession();
  const info = (await cdp.send('SystemInfo.getProcessInfo')) as {
    processInfo: Array<{ type: string; id: number }>;
  };
  await cdp.detach();
  return info.processInfo.find((p) => p.type === 'browser')!.id;
}

async function until(probe: () => boolean, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('BrowserPool (real Chromium)', () => {
  it('launches lazily, gives each task a fresh context and recycles the browser after N tasks', async () => {
    const p = pool({ recycleAfter: 2 });
    expect(p.stats.launches).toBe(0);
    const browsers: Browser[] = [];
    for (let i = 0; i < 3; i++) {
      await p.withContext({}, async (context) => {
        browsers.push(context.browser()!);
        // Isolation: nothing the previous task stored is visible here.
        expect(await context.cookies('http://example.test/')).toEqual([]);
        await context.addCookies([{ name: 'task', value: String(i), url: 'http://example.test/' }]);
      });
    }
    expect(p.stats).toMatchObject({ launches: 2, tasks: 3, active: 0 });
    expect(browsers[0]).toBe(browsers[1]);
    expect(browsers[2]).not.toBe(browsers[0]);
    await until(() => !browsers[0]!.isConnected());
    expect(browsers[2]!.isConnected()).toBe(true);
  });

  it('closes the context even when the task throws', async () => {
    const p = pool();
    let browser: Browser | undefined;
    await expect(
      p.withPage({}, async (page, context) => {
        browser = context.browser()!;
        await page.setContent('<h1>hi</h1>');
        throw new Error('task failed');
      }),
    ).rejects.toThrow('task failed');
    expect(browser!.contexts()).toEqual([]);
  });

  it('recovers after the browser is killed: the next task launches a new one', async () => {
    const site = await startTestSite();
    try {
      const p = pool();
      const first = await p.withPage({}, async (page, context) => {
        await page.goto(site.url);
        return context.browser()!;
      });
      process.kill(await browserPid(first), 'SIGKILL');
      await until(() => !first.isConnected());
      const title = await p.withPage({}, async (page) => {
        await page.goto(site.url);
        return page.title();
      });
      expect(title).toBe('Home');
      expect(p.stats.launches).toBe(2);
    } finally {
      await site.close();
    }
  });

  it('a task running when the browser dies fails, and the pool serves the next one', async () => {
    const p = pool();
    const failed = p.withPage({}, async (page, context) => {
      process.kill(await browserPid(context.browser()!), 'SIGKILL');
      await page.waitForTimeout(30_000);
    });
    await expect(failed).rejects.toThrow(/closed|crash|disconnected/i);
    expect(await p.withPage({}, async (page) => page.evaluate(() => 1 + 1))).toBe(2);
  });

  it('runs at most maxConcurrency tasks at once; a queued task can be cancelled', async () => {
    const p = pool({ maxConcurrency: 2 });
    let running = 0;
    let peak = 0;
    let releaseAll!: () => void;
    const gate = new Promise<void>((r) => {
      releaseAll = r;
    });
    const task = () =>
      p.withContext({}, async () => {
        running++;
        peak = Math.max(peak, running);
        await gate;
        running--;
      });
    const tasks = [task(), task(), task()];
    await until(() => running === 2);
    expect(p.stats.queued).toBe(1);
    const controller = new AbortController();
    const cancelled = p.withContext({ signal: controller.signal }, async () => 'ran');
    controller.abort(new Error('no longer needed'));
    await expect(cancelled).rejects.toThrow('no longer needed');
    releaseAll();
    await Promise.all(tasks);
    expect(peak).toBe(2);
  });

  it('aborting a running task closes its context and rejects with the reason', async () => {
    const p = pool();
    const controller = new AbortController();
    const running = p.withPage({ signal: controller.signal }, async (page) => {
      controller.abort(new Error('stop'));
      await page.waitForTimeout(30_000);
    });
    await expect(running).rejects.toThrow('stop');
    expect(p.stats.active).toBe(0);
  });

  it('close() closes the browser and refuses new tasks', async () => {
    const p = pool();
    const browser = await p.withContext({}, async (context) => context.browser()!);
    await p.close();
    expect(browser.isConnected()).toBe(false);
    await expect(p.withContext({}, async () => 1)).rejects.toThrow('The browser pool is closed');
  });
});
