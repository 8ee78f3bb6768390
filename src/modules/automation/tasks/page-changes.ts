/**
 * Whether a page may look different from its last picture. A step that only reads the page
 * (`expect`, `extract`, `observe`) and finds it unchanged is shown with the picture before it, as a
 * new picture would show the same: a picture costs two or three of the compositor's frames and
 * tens of milliseconds of Chromium's CPU on two cores.
 *
 * The watch runs in Orchard's world of every document the page opens (page-world.ts), from before
 * the page's scripts. "Unchanged" is decided on the safe side: no DOM mutation and no event that
 * goes with a change of what is drawn (input, scroll, focus, loads, fonts, animations and
 * transitions starting, hover, popovers, media) since the picture was asked for; the same scroll
 * position and form values (a script may set them with no event yet); and nothing that is drawn
 * without either: a document still loading, an image not yet loaded, fonts loading, a running
 * animation, a canvas, video, frame, plug-in or SVG animation, a custom element or a shadow root
 * (its inside is not observed). Any doubt, or a document that is not the one pictured, means a new picture.
 */
import type { Page } from 'playwright-core';
import { addToEveryDocument, evaluateInPage, type PageWorld } from './page-world.ts';

const WATCH = `(() => {
  if (globalThis.orchardChanges) return;
  const watch = (globalThis.orchardChanges = { changed: true, state: '' });
  const changed = () => { watch.changed = true; };
  const start = () => {
    new MutationObserver(changed).observe(document, {
      subtree: true, childList: true, attributes: true, characterData: true,
    });
  };
  start();
  for (const type of [
    'input', 'change', 'reset', 'scroll', 'scrollend', 'resize', 'load', 'error', 'abort',
    'focusin', 'focusout', 'selectionchange', 'select', 'toggle', 'beforetoggle',
    'animationstart', 'animationiteration', 'animationend', 'animationcancel',
    'transitionrun', 'transitionstart', 'transitionend', 'transitioncancel',
    'mouseover', 'mouseout', 'pointerover', 'pointerout', 'dragenter', 'dragleave',
    'play', 'playing', 'pause', 'seeked', 'timeupdate', 'fullscreenchange', 'visibilitychange',
  ])
    addEventListener(type, changed, { capture: true, passive: true });
  document.fonts?.addEventListener('loadingdone', changed);
})()`;

/**
 * What a script may change without an event or a mutation: the scroll position (its event comes a
 * frame later) and what the form fields hold. Compared in the page, never sent out: a field may
 * hold a secret.
 */
const STATE = `[scrollX, scrollY, ...[...document.querySelectorAll('input, textarea, select')]
  .map((f) => f.type === 'checkbox' || f.type === 'radio' ? String(f.checked) : f.value + '|' + (f.selectedIndex ?? ''))]
  .join('\\u0000')`;

const MARK = `(() => {
  const watch = globalThis.orchardChanges;
  if (!watch) return false;
  watch.changed = false;
  watch.state = ${STATE};
  return true;
})()`;

const UNCHANGED = `(() => {
  const watch = globalThis.orchardChanges;
  if (!watch || watch.changed || watch.state !== ${STATE}) return false;
  if (document.readyState !== 'complete') return false;
  if (document.fonts && document.fonts.status !== 'loaded') return false;
  for (const image of document.images) if (!image.complete) return false;
  if (document.querySelector('canvas, video, iframe, frame, embed, object, marquee, animate, animateMotion, animateTransform, set'))
    return false;
  if (document.getAnimations().some((a) => a.playState !== 'finished' && a.playState !== 'idle')) return false;
  for (const element of document.getElementsByTagName('*'))
    if (element.shadowRoot || element.localName.includes('-')) return false;
  return true;
})()`;

export interface PageChanges {
  /** Just before a picture is asked for: changes from here on count. False: it cannot tell. */
  mark(): Promise<boolean>;
  /** True only when the page surely looks as it did at the last mark. */
  unchanged(): Promise<boolean>;
}

/** Watches every document the page opens from now on; call before the page's first navigation. */
export async function watchPageChanges(page: Page): Promise<PageChanges> {
  await addToEveryDocument(page, WATCH);
  // The document the marks were made in: a new one has a new world, which was never marked.
  let marked: PageWorld | undefined;
  return {
    async mark() {
      marked = undefined;
      try {
        const { value, world } = await evaluateInPage(page, MARK);
        if (value !== true) return false;
        marked = world;
        return true;
      } catch {
        return false;
      }
    },
    async unchanged() {
      try {
        return marked !== undefined && (await marked.evaluate(UNCHANGED)) === true;
      } catch {
        return false;
      }
    },
  };
}
