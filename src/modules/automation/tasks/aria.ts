/**
 * The page as the planner sees it: Playwright's ARIA snapshot in its "ai" mode, where every
 * element the planner may name carries a ref (`button "Sign in" [ref=e9]`). A ref only lives as
 * long as its snapshot, so what the planner picked is turned into a role-based Target that can be
 * replayed later (the action cache) — or, when role and name do not single it out, an XPath.
 */
import { createHash } from 'node:crypto';
import type { Page } from 'playwright-core';
import type { Target } from './task-input.ts';

/** Long pages are cut here; the planner gets the top of the page and is told it was cut. */
const MAX_SNAPSHOT_CHARS = 40_000;

export interface PageView {
  url: string;
  title: string;
  snapshot: string;
  truncated: boolean;
}

export async function viewPage(
  page: Page,
  redact: (text: string) => string,
  timeoutMs: number,
): Promise<PageView> {
  const raw = await page.ariaSnapshot({ mode: 'ai', timeout: timeoutMs });
  const text = redact(raw);
  return {
    url: redact(page.url()),
    title: redact(await page.title().catch(() => '')),
    snapshot: text.length > MAX_SNAPSHOT_CHARS ? `${text.slice(0, MAX_SNAPSHOT_CHARS)}\n- (cut)` : text,
    truncated: text.length > MAX_SNAPSHOT_CHARS,
  };
}

/**
 * A hash of the page's structure: roles and names, without refs, focus, pointer hints or what
 * fields hold, so typing into a form does not make it another page for the action cache.
 */
export function structureHash(snapshot: string): string {
  const lines = snapshot.split('\n').map((line) =>
    line
      .replace(/ \[(ref|cursor)=[^\]]*\]/g, '')
      .replace(/ \[active\]/g, '')
      .replace(/^(\s*- (?:textbox|searchbox|spinbutton)\b[^:]*):.*$/, '$1'),
  );
  return createHash('sha256').update(lines.join('\n')).digest('hex').slice(0, 32);
}

/** A URL without origin, query or ids: `/photos/42/edit` → `/photos/*\/edit`. */
export function urlPattern(url: string): string {
  let path: string;
  try {
    path = new URL(url).pathname;
  } catch {
    return url;
  }
  return path
    .split('/')
    .map((seg) =>
      /^\d+$/.test(seg) || /^[0-9a-f]{8}-[0-9a-f-]{27}$/i.test(seg) || /^[0-9a-f]{16,}$/i.test(seg)
        ? '*'
        : seg,
    )
    .join('/');
}

interface AriaNode {
  role?: string;
  name?: string;
  ref?: string;
  children?: Array<AriaNode | string>;
}

/**
 * The replayable Target for a ref of the latest snapshot: role and name (with its index among
 * elements of that role and name) when that finds the very same element, else its XPath.
 */
export async function targetForRef(page: Page, ref: string, timeoutMs: number): Promise<Target | undefined> {
  const byRef = page.getByRef(ref);
  if ((await byRef.count()) !== 1) return undefined;
  const tree = (await page.ariaSnapshotJSON({ mode: 'ai', timeout: timeoutMs })) as unknown as AriaNode[];
  const node = findRef(tree, ref);
  if (node?.role && node.name) {
    const candidates = page.getByRole(node.role as Parameters<Page['getByRole']>[0], {
      name: node.name,
      exact: true,
    });
    const handle = await byRef.elementHandle({ timeout: timeoutMs });
    const count = await candidates.count();
    for (let nth = 0; handle && nth < Math.min(count, 50); nth++) {
      const same = await candidates
        .nth(nth)
        .evaluate((el, other) => el === other, handle)
        .catch(() => false);
      if (same) return { role: node.role, name: node.name, ...(nth ? { nth } : {}) };
    }
  }
  const xpath = await byRef.evaluate((el) => {
    const parts: string[] = [];
    for (let e: Element | null = el; e && e.nodeType === 1; e = e.parentElement) {
      let index = 1;
      for (let s = e.previousElementSibling; s; s = s.previousElementSibling)
        if (s.tagName === e.tagName) index++;
      parts.unshift(`${e.tagName.toLowerCase()}[${index}]`);
    }
    return `/${parts.join('/')}`;
  });
  return `xpath=${xpath}`;
}

function findRef(nodes: Array<AriaNode | string>, ref: string): AriaNode | undefined {
  for (const node of nodes) {
    if (typeof node === 'string') continue;
    if (node.ref === ref) return node;
    const inner = node.children ? findRef(node.children, ref) : undefined;
    if (inner) return inner;
  }
  return undefined;
}
