/**
 * A field filled with a secret is drawn as dots (`-webkit-text-security`) from then on, so no later
 * screenshot shows what it holds. The style is set from Orchard's own world in the page
 * (page-world.ts), not through the page's.
 */
import type { Locator, Page } from 'playwright-core';
import { evaluateInPage } from './page-world.ts';

// The first `input` event after arming names the field the fill typed into (the path's first
// element: the field itself, or the host of a closed shadow root, whose descendants inherit the
// property). A page that fires more input events on other fields in its handler does not move it.
// The world lives as long as its document: one listener, reset per arm.
const ARM = `(() => {
  globalThis.orchardFilled = undefined;
  if (!globalThis.orchardWatchingInput) {
    document.addEventListener('input', (event) => { globalThis.orchardFilled ??= event.composedPath()[0]; }, { capture: true });
    globalThis.orchardWatchingInput = true;
  }
  return true;
})()`;
const DRAW_AS_DOTS = `(() => {
  const field = globalThis.orchardFilled;
  if (!(field instanceof Element) || !field.isConnected) return false;
  field.style.setProperty('-webkit-text-security', 'disc');
  return true;
})()`;

/**
 * Watches for the field the next fill types into, from Orchard's world of the page's main frame.
 * Resolves to the function that draws that field as dots; it answers false when it cannot tell
 * which field that was (an iframe's field, a navigation in between).
 */
export async function armFieldMask(page: Page): Promise<() => Promise<boolean>> {
  const { value, world } = await evaluateInPage(page, ARM);
  if (value !== true) throw new Error('could not watch the page for input');
  return async () => (await world.evaluate(DRAW_AS_DOTS).catch(() => false)) === true;
}

/**
 * Arms the watch before a fill that types a secret, and resolves to what draws the filled field as
 * dots after it: from Orchard's world when the watch names the field, else through the element
 * itself, in the page's world (the sure way, and the slow one).
 */
export async function maskNextFill(page: Page, element: Locator): Promise<() => Promise<void>> {
  const draw = await armFieldMask(page).catch(() => undefined);
  return async () => {
    if (await draw?.()) return;
    await element
      .evaluate((el) => (el as HTMLElement).style.setProperty('-webkit-text-security', 'disc'))
      .catch(() => undefined);
  };
}
