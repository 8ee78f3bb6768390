import { existsSync } from 'node:fs';
import { type Browser, chromium, type Page } from 'playwright-core';

const CHROMIUM_PATHS = ['/usr/lib/chromium/chromium', '/usr/bin/chromium'];

/** The machine's Chromium (playwright-core ships no browser). */
export function chromiumPath(): string {
  const found = CHROMIUM_PATHS.find((p) => existsSync(p));
  if (!found) throw new Error(`No Chromium found; looked at ${CHROMIUM_PATHS.join(', ')}. Install chromium.`);
  return found;
}

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath(),
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/**
 * Collects what the page reports as broken: console errors (CSP violations land here), uncaught
 * exceptions, and failed requests. Tests assert the list is empty (or holds only what they provoked).
 */
export function watchPageErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (message) => {
    // A failed load names its resource only in the message's location: keep it, so a report says which.
    if (message.type() !== 'error') return;
    const where = message.location().url;
    errors.push(
      `console: ${message.text()}${where && /Failed to load resource/.test(message.text()) ? ` (${where})` : ''}`,
    );
  });
  page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
  page.on('requestfailed', (request) => {
    // Aborted is what a navigation does to requests still in flight (the favicon, say): not a fault.
    if (request.failure()?.errorText === 'net::ERR_ABORTED') return;
    errors.push(`requestfailed: ${request.method()} ${request.url()} ${request.failure()?.errorText ?? ''}`);
  });
  return errors;
}
