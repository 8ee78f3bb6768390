import { describe, expect, it } from 'vitest';
import { appUrl, BRIDGE_MESSAGE, bridgePath, fitScale, resolveAppPath } from './preview-address.ts';

const ORIGIN = 'http://staging--books.localhost:4000';

describe('resolveAppPath', () => {
  it('takes a path, with or without its slash, and keeps its query and hash', () => {
    expect(resolveAppPath('/recipes', ORIGIN)).toEqual({ path: '/recipes' });
    expect(resolveAppPath('  recipes ', ORIGIN)).toEqual({ path: '/recipes' });
    expect(resolveAppPath('/books/3?tab=notes#top', ORIGIN)).toEqual({ path: '/books/3?tab=notes#top' });
    expect(resolveAppPath('?q=dune', ORIGIN)).toEqual({ path: '/?q=dune' });
    expect(resolveAppPath('', ORIGIN)).toEqual({ path: '/' });
  });

  it("takes a full URL of the app's own origin", () => {
    expect(resolveAppPath(`${ORIGIN}/books/new`, ORIGIN)).toEqual({ path: '/books/new' });
  });

  it('refuses anything that leaves the app', () => {
    for (const typed of [
      'http://example.com/recipes',
      '//example.com/recipes',
      '/\\example.com',
      'https://staging--books.localhost:4000/',
      'http://staging--books.localhost:4001/',
      'http://production--books.localhost:4000/',
      'javascript:alert(1)',
      'data:text/html,<p>x</p>',
      'localhost:4000/recipes',
    ]) {
      expect(resolveAppPath(typed, ORIGIN), typed).toEqual({ error: expect.stringContaining('path') });
    }
  });
});

describe('appUrl', () => {
  it('joins a path to the origin without letting it name another host', () => {
    expect(appUrl(ORIGIN, '/recipes?x=1')).toBe(`${ORIGIN}/recipes?x=1`);
    expect(new URL(appUrl(ORIGIN, '//example.com/x')).origin).toBe(ORIGIN);
    expect(new URL(appUrl(ORIGIN, 'x')).origin).toBe(ORIGIN);
  });
});

describe('bridgePath', () => {
  it("reads the path an app's preview script posts", () => {
    expect(bridgePath({ type: BRIDGE_MESSAGE, path: '/books?page=2' }, ORIGIN)).toBe('/books?page=2');
  });

  it('ignores other messages and paths that are not paths', () => {
    for (const data of [
      null,
      'orchard:preview-location',
      { type: 'other', path: '/books' },
      { type: BRIDGE_MESSAGE },
      { type: BRIDGE_MESSAGE, path: 42 },
      { type: BRIDGE_MESSAGE, path: 'http://example.com/' },
      { type: BRIDGE_MESSAGE, path: '//example.com/' },
      { type: BRIDGE_MESSAGE, path: `/${'x'.repeat(2_000)}` },
    ]) {
      expect(bridgePath(data, ORIGIN), JSON.stringify(data)).toBeNull();
    }
  });
});

describe('fitScale', () => {
  it('shrinks a frame wider than the pane, never enlarges one', () => {
    expect(fitScale(390, 400)).toBe(1);
    expect(fitScale(820, 410)).toBe(0.5);
    expect(fitScale(390, 0)).toBe(1);
  });
});
