/**
 * A field filled with a secret is drawn as dots (`-webkit-text-security`) from then on, so no later
 * screenshot shows what it holds. The style is set from a world of Orchard's own in the page: the
 * page's main world would need Playwright's script installed in it first, about 90 ms on a small
 * machine for each new page, which a plain script never pays.
 */
import type { CDPSession, Locator, Page } from 'playwright-core';

const sessions = new WeakMap<Page, Promise<CDPSession>>();

/** One DevTools session per page, shared by whatever in a task speaks to the page directly. */
export function pageSession(page: Page): Promise<CDPSession> {
  let session = sessions.get(page);
  if (!session) {
    session = page.context().newCDPSession(page);
    sessions.set(page, session);
    // A failed attempt is not remembered: the next caller tries again.
    session.catch(() => sessions.delete(page));
  }
  return session;
}

// The first `input` event after arming names the field the fill typed into (the path's first
// element: the field itself, or the host of a closed shadow root, whose descendants inherit the
// property). A page that fires more input events on other fields in its handler does not move it.
// Chromium gives back the same world for the same name in a document: one listener, reset per arm.
const ARM = `(() => {
  globalThis.filled = undefined;
  if (!globalThis.watching) {
    document.addEventListener('input', (event) => { globalThis.filled ??= event.composedPath()[0]; }, { capture: true });
    globalThis.watching = true;
  }
  return true;
})()`;
const DRAW_AS_DOTS = `(() => {
  const field = globalThis.filled;
  if (!(field instanceof Element) || !field.isConnected) return false;
  field.style.setProperty('-webkit-text-security', 'disc');
  return true;
})()`;

interface EvaluateResult {
  result: { value?: unknown };
  exceptionDetails?: unknown;
}

/**
 * Watches for the field the next fill types into, in a world of its own in the page's main frame.
 * Resolves to the function that draws that field as dots; it answers false when it cannot tell
 * which field that was (an iframe's field, a navigation in between).
 */
export async function armFieldMask(page: Page): Promise<() => Promise<boolean>> {
  const cdp = await pageSession(page);
  const { frameTree } = (await cdp.send('Page.getFrameTree')) as { frameTree: { frame: { id: string } } };
  const { executionContextId } = (await cdp.send('Page.createIsolatedWorld', {
    frameId: frameTree.frame.id,
    worldName: 'orchard-secret-field',
  })) as { executionContextId: number };
  const run = async (expression: string) => {
    const answer = (await cdp.send('Runtime.evaluate', {
      contextId: executionContextId,
      expression,
      returnByValue: true,
    })) as EvaluateResult;
    return !answer.exceptionDetails && answer.result.value === true;
  };
  if (!(await run(ARM))) throw new Error('could not watch the page for input');
  return () => run(DRAW_AS_DOTS).catch(() => false);
}

/** The sure way, when the watch could not tell: through the element itself, in the page's world. */
export async function drawAsDots(element: Locator): Promise<void> {
  await element.evaluate((el) => (el as HTMLElement).style.setProperty('-webkit-text-security', 'disc'));
}
