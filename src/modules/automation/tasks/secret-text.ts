/**
 * A secret the page itself shows — echoed from the field it was typed into, or a key a settings
 * page displays — is painted over in black, so no screenshot shows it. The fill's own field is
 * drawn as dots (secret-field.ts); this covers the rest of the page.
 *
 * A script in Orchard's own world of the page (page-world.ts), set to run in every new document of
 * the page before the page's scripts, watches the DOM: every text node that holds a secret gets a
 * range in a CSS custom highlight painted as a black bar (the page's DOM and text are left as they
 * are), and every field whose value holds one is drawn as dots. It runs in that isolated world, so
 * the page's scripts can neither see the secrets it looks for nor hook what it calls. Ranges are
 * added in the MutationObserver's callback, before the page can paint again.
 *
 * Not covered: a secret split across text nodes or elements, text in a closed shadow root or a
 * cross-site frame, a canvas or an image, a field value set by a script with no event or DOM change
 * after it, and a page that drops Orchard's style sheet from its adopted ones the same way.
 */
import type { Page } from 'playwright-core';
import { pageSession, WORLD } from './page-world.ts';

const HIDE = `((secrets) => {
  if (globalThis.orchardSecretsHidden) return;
  globalThis.orchardSecretsHidden = true;
  const highlight = new Highlight();
  highlight.priority = 1000;
  CSS.highlights.set('orchard-secret', highlight);
  const sheet = new CSSStyleSheet();
  sheet.replaceSync('::highlight(orchard-secret) { color: transparent; background-color: #000; text-shadow: none; text-decoration: none; }');
  const adopt = (root) => {
    if (!root.adoptedStyleSheets.includes(sheet)) root.adoptedStyleSheets = [...root.adoptedStyleSheets, sheet];
  };
  const ranges = new Map();
  const scanText = (node) => {
    for (const range of ranges.get(node) ?? []) highlight.delete(range);
    ranges.delete(node);
    const found = [];
    for (const secret of secrets)
      for (let at = node.data.indexOf(secret); at >= 0; at = node.data.indexOf(secret, at + secret.length)) {
        const range = new Range();
        range.setStart(node, at);
        range.setEnd(node, at + secret.length);
        highlight.add(range);
        found.push(range);
      }
    if (found.length) ranges.set(node, found);
  };
  const roots = new Set();
  const observer = new MutationObserver((records) => {
    for (const record of records) {
      if (record.type === 'characterData') scanText(record.target);
      else for (const node of record.addedNodes) scan(node);
    }
    for (const node of ranges.keys()) if (!node.isConnected) {
      for (const range of ranges.get(node)) highlight.delete(range);
      ranges.delete(node);
    }
    adopt(document);
    checkSoon();
  });
  const watch = (root) => {
    if (roots.has(root)) return;
    roots.add(root);
    observer.observe(root, { subtree: true, childList: true, characterData: true });
    adopt(root);
  };
  const scan = (root) => {
    if (root.nodeType === Node.TEXT_NODE) return scanText(root);
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT);
    for (let node = walker.currentNode; node; node = walker.nextNode()) {
      if (node.nodeType === Node.TEXT_NODE) scanText(node);
      else if (node.shadowRoot) {
        watch(node.shadowRoot);
        scan(node.shadowRoot);
      }
    }
  };
  // Shadow roots attached after their host was added show no mutation: looked for again.
  const findShadows = () => {
    for (const el of document.querySelectorAll('*')) {
      if (el.shadowRoot && !roots.has(el.shadowRoot)) {
        watch(el.shadowRoot);
        scan(el.shadowRoot);
      }
    }
  };
  const checkFields = () => {
    for (const root of roots)
      for (const field of root.querySelectorAll('input, textarea'))
        if (secrets.some((secret) => field.value.includes(secret)))
          field.style.setProperty('-webkit-text-security', 'disc');
  };
  // Fields and new shadow roots, before the next frame is painted: after the page's own handlers
  // of the event have run.
  let pending = false;
  const checkSoon = () => {
    if (pending) return;
    pending = true;
    requestAnimationFrame(() => {
      pending = false;
      adopt(document);
      findShadows();
      checkFields();
    });
  };
  for (const type of ['input', 'change', 'keyup', 'paste', 'DOMContentLoaded'])
    document.addEventListener(type, checkSoon, { capture: true, passive: true });
  addEventListener('load', checkSoon, { passive: true });
  watch(document);
  scan(document);
  checkSoon();
})`;

/**
 * From now on, in every document of the page (and the current one), `secrets` shown as text are
 * painted over and fields holding one are drawn as dots. Call it before the page shows anything
 * that matters: it resolves once the page's current document is covered.
 */
export async function hideSecretsOnScreen(page: Page, secrets: readonly string[]): Promise<void> {
  if (!secrets.length) return;
  const cdp = await pageSession(page);
  // Scripts for new documents are only kept for a session that has the Page domain on.
  await cdp.send('Page.enable');
  await cdp.send('Page.addScriptToEvaluateOnNewDocument', {
    source: `${HIDE}(${JSON.stringify([...secrets].sort((a, b) => b.length - a.length))})`,
    worldName: WORLD,
    runImmediately: true,
  });
}
