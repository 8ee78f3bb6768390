import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { linkKind } from './markdown-rules.ts';
import { MarkdownView, type ResolveUrl } from './markdown-view.tsx';

const render = (text: string, resolveUrl?: ResolveUrl) =>
  renderToStaticMarkup(createElement(MarkdownView, { text, resolveUrl }));

/** Every start tag with its attributes, as written in the markup (escaped text has no `<`). */
const tags = (html: string) =>
  [...html.matchAll(/<([a-z0-9]+)([^>]*)>/g)].map((m) => ({ name: m[1]!, attrs: m[2]! }));
const hrefs = (html: string) => [...html.matchAll(/\shref="([^"]*)"/g)].map((m) => m[1]!);

describe('MarkdownView', () => {
  it('renders CommonMark and GFM: headings, tables, task lists, strikethrough, autolinks', () => {
    const html = render(
      [
        '## Steps',
        '',
        '| Step | Result |',
        '| --- | --- |',
        '| pay | ~~nothing~~ an order |',
        '',
        '- [x] reproduce',
        '- [ ] fix',
        '',
        'See https://example.com/issue for more.',
      ].join('\n'),
    );
    expect(html).toContain('<h2>Steps</h2>');
    expect(html).toMatch(/<table>.*<th>Step<\/th>.*<td><del>nothing<\/del> an order<\/td>/s);
    expect(html).toContain('<input type="checkbox" disabled="" checked=""/>');
    expect(html).toContain('<input type="checkbox" disabled=""/>');
    expect(html).toContain(
      '<a href="https://example.com/issue" rel="noopener noreferrer" target="_blank">https://example.com/issue</a>',
    );
  });

  it('highlights fenced code in a known language with token spans, and leaves other code as text', () => {
    const html = render(
      '```js\nconst total = items.reduce((s, i) => s + i, 0);\n```\n\n```nosuchlang\nconst x = 1;\n```',
    );
    expect(html).toContain('<code class="language-js hljs">');
    expect(html).toContain('<span class="hljs-keyword">const</span>');
    expect(html).toContain('<code class="language-nosuchlang">const x = 1;\n</code>');
  });

  it('shows raw HTML as the text it is, never as elements', () => {
    const html = render(
      'Hi <img src=x onerror=alert(1)> there\n\n<script>alert(1)</script>\n\n<a href="javascript:alert(2)">x</a> <b onclick="alert(3)">b</b>',
    );
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('&lt;b onclick=&quot;alert(3)&quot;&gt;b&lt;/b&gt;');
    expect(tags(html).map((t) => t.name)).toEqual(['div', 'p', 'p', 'p']);
    expect(tags(html).filter((t) => /\son/i.test(t.attrs))).toEqual([]);
  });

  it.each([
    ['an inline link', '[click](javascript:alert(1))', 'click'],
    ['mixed case', '[click](JavaScript:alert(1))', 'click'],
    ['an entity-encoded protocol', '[click](&#106;avascript:alert(1))', 'click'],
    ['an autolink', '<javascript:alert(1)>', 'javascript:alert(1)'],
    ['a reference definition', '[click][x]\n\n[x]: javascript:alert(1)', 'click'],
    ['data:', '[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)', 'click'],
    ['vbscript:', '[click](vbscript:msgbox(1))', 'click'],
  ])('drops a dangerous link target (%s), keeping its text', (_, text, shown) => {
    const html = render(text);
    expect(html).toBe(`<div class="markdown"><p><span>${shown}</span></p></div>`);
  });

  it('keeps http(s), mailto and relative links; another site opens in a new tab, this app in place', () => {
    const html = render(
      '[a](https://example.com) [b](mailto:me@example.com) [c](/projects/shop/issues/1) [d](#fix)',
    );
    expect(html).toContain('<a href="https://example.com" rel="noopener noreferrer" target="_blank">a</a>');
    expect(html).toContain('<a href="mailto:me@example.com" rel="noopener noreferrer">b</a>');
    expect(html).toContain('<a rel="noopener noreferrer" href="/projects/shop/issues/1">c</a>');
    expect(html).toContain('<a href="#fix" rel="noopener noreferrer">d</a>');
  });

  it('shows images only from http(s) and relative addresses', () => {
    const html = render(
      '![logo](https://example.com/logo.png) ![local](docs/shot.png) ![bad](javascript:alert(1)) ![inline](data:image/png;base64,AAAA)',
    );
    const srcs = tags(html)
      .filter((t) => t.name === 'img')
      .map((t) => /\ssrc="([^"]*)"/.exec(t.attrs)?.[1]);
    expect(srcs).toEqual(['https://example.com/logo.png', 'docs/shot.png']);
    expect(html).toContain('[bad]');
    expect(html).toContain('[inline]');
    expect(html).toContain('referrerPolicy="no-referrer"');
  });

  it('lets the caller resolve relative links and images (a README relative to its directory)', () => {
    const resolve: ResolveUrl = (url, kind) => `/resolved/${kind}/${url}`;
    const html = render('[guide](docs/guide.md) ![shot](docs/shot.png)', resolve);
    expect(hrefs(html)).toEqual(['/resolved/link/docs/guide.md']);
    expect(html).toContain('src="/resolved/image/docs/shot.png"');
  });

  it('keeps the footnotes’ ids prefixed once, so they cannot clobber the page’s and their links work', () => {
    const html = render('Text[^1]\n\n[^1]: A note.');
    expect(html).toContain('href="#user-content-fn-1"');
    expect(html).toContain('<li id="user-content-fn-1">');
  });
});

describe('linkKind', () => {
  const origin = 'https://orchard.example';
  it.each([
    ['https://example.com/x', 'external'],
    ['http://orchard.example/x', 'external'],
    ['https://orchard.example/projects', 'in-app'],
    ['/projects/shop', 'in-app'],
    ['docs/guide.md', 'in-app'],
    ['#top', 'in-page'],
    ['mailto:me@example.com', 'mail'],
    ['http://[broken', 'external'],
  ])('%s is %s', (href, kind) => {
    expect(linkKind(href, origin)).toBe(kind);
  });
});
