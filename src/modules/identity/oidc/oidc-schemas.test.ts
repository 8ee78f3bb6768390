import { describe, expect, it } from 'vitest';
import { ReturnToPath } from './oidc-schemas.ts';

describe('where a sign-in may return to', () => {
  it('takes paths of this Orchard, with their query and fragment', () => {
    for (const path of ['/', '/projects', '/projects/shop?tab=mine#top', '/a%2F%2Fb'])
      expect(ReturnToPath.safeParse(path).success, path).toBe(true);
  });

  it('refuses anything a browser could read as another origin', () => {
    for (const url of [
      '//evil.example',
      '/\\evil.example',
      '/\\/evil.example',
      'https://evil.example/',
      'javascript:alert(1)',
      'projects',
      '',
      '/x\\y',
      '/\t/evil.example',
      '/a\nb',
    ])
      expect(ReturnToPath.safeParse(url).success, JSON.stringify(url)).toBe(false);
  });
});
