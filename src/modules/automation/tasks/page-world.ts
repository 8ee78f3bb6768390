/**
 * Orchard's own world in a task's page: an isolated JavaScript world of the main frame that sees
 * the page's DOM but not its scripts, reached over one DevTools session per page. Reading or setting
 * the DOM from here costs a round trip; through the page's own world, Playwright would first install
 * its script there (about 90 ms for each new document on a small machine, which a plain script
 * never pays).
 */
import type { CDPSession, Page } from 'playwright-core';

/** Chromium gives back the same world for the same name within a document. */
export const WORLD = 'orchard';

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

interface EvaluateAnswer {
  result: { value?: unknown };
  exceptionDetails?: { text?: string };
}

/** Orchard's world in one document of the page; its evaluations fail once that document is gone. */
export interface PageWorld {
  evaluate(expression: string): Promise<unknown>;
}

/** A script that threw in the page (not a world that is gone). */
class PageScriptError extends Error {}

const frames = new WeakMap<Page, Promise<string>>();
const latest = new WeakMap<Page, PageWorld>();

async function openWorld(page: Page): Promise<PageWorld> {
  const cdp = await pageSession(page);
  // The main frame keeps its id across navigations.
  let frameId = frames.get(page);
  if (!frameId) {
    frameId = cdp
      .send('Page.getFrameTree')
      .then((tree) => (tree as { frameTree: { frame: { id: string } } }).frameTree.frame.id);
    frames.set(page, frameId);
    frameId.catch(() => frames.delete(page));
  }
  const { executionContextId } = (await cdp.send('Page.createIsolatedWorld', {
    frameId: await frameId,
    worldName: WORLD,
  })) as { executionContextId: number };
  return {
    async evaluate(expression) {
      const answer = (await cdp.send('Runtime.evaluate', {
        contextId: executionContextId,
        expression,
        returnByValue: true,
      })) as EvaluateAnswer;
      if (answer.exceptionDetails)
        throw new PageScriptError(answer.exceptionDetails.text ?? 'the expression threw');
      return answer.result.value;
    },
  };
}

/**
 * Evaluates `expression` in Orchard's world of the page's current document: one round trip while
 * the document is the one last used, three after a navigation. Resolves with the answer and the
 * world it came from.
 */
export async function evaluateInPage(
  page: Page,
  expression: string,
): Promise<{ value: unknown; world: PageWorld }> {
  const known = latest.get(page);
  if (known) {
    try {
      return { value: await known.evaluate(expression), world: known };
    } catch (error) {
      if (error instanceof PageScriptError) throw error;
      // That document is gone: the current one's world below.
    }
  }
  const world = await openWorld(page);
  latest.set(page, world);
  return { value: await world.evaluate(expression), world };
}
