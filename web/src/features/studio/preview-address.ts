/**
 * The preview pane's address bar and device sizes, without React. The app runs on another origin
 * (`http://staging--<slug>.localhost:<port>/`), so the frame's address cannot be read: the pane keeps
 * the path it opened, and apps that load `/assets/orchard-preview.js` (every generated app) tell it
 * where in-app navigation went (`bridgePath`). The address bar only ever opens a page of the app.
 */

export type AddressResult = { path: string } | { error: string };

/**
 * What the user typed → a path of the app (path, query and hash). A path (`/recipes`, `recipes`,
 * `?q=x`) or a full URL of the app itself is accepted; anything that would leave the app's origin
 * (another host, `//host`, `javascript:`) is refused.
 */
export function resolveAppPath(input: string, origin: string): AddressResult {
  const typed = input.trim();
  let url: URL;
  try {
    url = new URL(typed === '' ? '/' : typed, `${origin}/`);
  } catch {
    return { error: 'That is not an address. Type a path of the app, such as /books.' };
  }
  if (url.origin !== origin) {
    return { error: 'The preview only opens pages of this app. Type a path, such as /books.' };
  }
  return { path: `${url.pathname}${url.search}${url.hash}` };
}

/**
 * The frame's address for a path of the app. Joined as text, not resolved as a URL: a path that
 * begins with `//` stays a path of this origin instead of naming another host.
 */
export function appUrl(origin: string, path: string): string {
  return `${origin}${path.startsWith('/') ? path : `/${path}`}`;
}

export const BRIDGE_MESSAGE = 'orchard:preview-location';

/** The path an app's preview script reports (`{ type, path }`), or null for any other message. */
export function bridgePath(data: unknown, origin: string): string | null {
  if (typeof data !== 'object' || data === null) return null;
  const { type, path } = data as { type?: unknown; path?: unknown };
  if (type !== BRIDGE_MESSAGE || typeof path !== 'string') return null;
  if (!path.startsWith('/') || path.length > 2_000) return null;
  const resolved = resolveAppPath(path, origin);
  return 'path' in resolved ? resolved.path : null;
}

export type DeviceId = 'phone' | 'tablet' | 'desktop';

export interface Device {
  id: DeviceId;
  label: string;
  /** CSS pixels of the frame; null: fill the pane. */
  size: { width: number; height: number } | null;
}

export const DEVICES: readonly Device[] = [
  { id: 'phone', label: 'Phone', size: { width: 390, height: 844 } },
  { id: 'tablet', label: 'Tablet', size: { width: 820, height: 1180 } },
  { id: 'desktop', label: 'Desktop', size: null },
];

/** How much a frame `width` wide must shrink to fit `available` pixels (1: it fits). */
export function fitScale(width: number, available: number): number {
  if (available <= 0 || width <= available) return 1;
  return available / width;
}
