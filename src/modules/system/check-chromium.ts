import { existsSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS, findChromium, PLAYWRIGHT_LEAVES_SIGNALS } from '../automation/index.ts';
import type { MachineCheck } from './machine-check.ts';

const LAUNCH_TIMEOUT_MS = 20_000;

export const chromiumCheck: MachineCheck = {
  id: 'chromium',
  title: 'Chromium',
  timeoutMs: LAUNCH_TIMEOUT_MS + 5_000,
  async run(ctx) {
    const configured = ctx.config.automation.chromiumPath;
    if (configured && !existsSync(configured)) {
      return {
        status: 'fail',
        summary: `Chromium is missing at ${configured} (automation.chromiumPath): verification of previews will fail`,
        fix: 'Point ORCHARD_CHROMIUM_PATH (automation.chromiumPath) at a Chromium binary, or unset it and install it with: apt-get install chromium',
      };
    }
    let path: string;
    try {
      path = findChromium(configured);
    } catch {
      return {
        status: 'fail',
        summary: 'Chromium is missing: verification of previews will fail',
        fix: 'Install it with: apt-get install chromium',
      };
    }
    // The browser robot's own launch: the same binary, flags and headless mode.
    const started = performance.now();
    try {
      const browser = await chromium.launch({
        executablePath: path,
        args: CHROMIUM_ARGS,
        timeout: LAUNCH_TIMEOUT_MS,
        env: ctx.env,
        ...PLAYWRIGHT_LEAVES_SIGNALS,
      });
      const version = browser.version();
      await browser.close();
      const ms = Math.round(performance.now() - started);
      return { status: 'ok', summary: `Chromium ${version} launches headless in ${ms} ms (${path})` };
    } catch (error) {
      const first = (error as Error).message.split('\n').find((l) => l.trim()) ?? 'unknown error';
      return {
        status: 'fail',
        summary: `Chromium at ${path} does not start headless: verification of previews will fail (${first.trim()})`,
        fix: `Run ${path} --headless --no-sandbox --dump-dom about:blank to see why; reinstall with: apt-get install --reinstall chromium`,
      };
    }
  },
};
