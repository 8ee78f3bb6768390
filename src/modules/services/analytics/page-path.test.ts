import { expect, it } from 'vitest';
import { pagePath } from './page-view-counter.ts';

it('counts a page by its path: no query or fragment, always from /, bounded, no NUL', () => {
  expect(pagePath('/')).toBe('/');
  expect(pagePath('/about?utm_source=mail#team')).toBe('/about');
  expect(pagePath('/a#b?c')).toBe('/a');
  expect(pagePath('?only=query')).toBe('/');
  expect(pagePath('relative')).toBe('/relative');
  expect(pagePath('/x\0y')).toBe('/xy');
  expect(pagePath(`/${'a'.repeat(1_000)}`)).toHaveLength(300);
});
