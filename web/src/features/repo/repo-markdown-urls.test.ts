import { describe, expect, it } from 'vitest';
import { repoUrlResolver } from './repo-markdown-urls.ts';

describe('repoUrlResolver', () => {
  const resolve = repoUrlResolver('shop', 'main', 'docs/README.md');

  it.each([
    ['guide.md', '/projects/shop/code/blob?ref=main&path=docs/guide.md'],
    ['./api/x.md#usage', '/projects/shop/code/blob?ref=main&path=docs/api/x.md#usage'],
    ['../src/app.js', '/projects/shop/code/blob?ref=main&path=src/app.js'],
    ['/LICENSE', '/projects/shop/code/blob?ref=main&path=LICENSE'],
    ['../src/', '/projects/shop/code?ref=main&path=src'],
    ['../../..', '/projects/shop/code?ref=main'],
    ['my%20notes.md', '/projects/shop/code/blob?ref=main&path=docs/my%20notes.md'],
  ])('a link to %s opens the file view at the same ref', (url, expected) => {
    expect(resolve(url, 'link')).toBe(expected);
  });

  it('points images at the raw file', () => {
    expect(resolve('img/shot one.png', 'image')).toBe('/api/projects/shop/blob/main/docs/img/shot%20one.png');
    expect(resolve('/logo.png', 'image')).toBe('/api/projects/shop/blob/main/logo.png');
  });

  it.each(['https://example.com/x.md', 'mailto:me@example.com', '#install', '//cdn.example.com/x.png'])(
    'leaves %s as it is',
    (url) => {
      expect(resolve(url, 'link')).toBe(url);
    },
  );
});
