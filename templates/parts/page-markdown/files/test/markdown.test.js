// The Markdown renderer the site's pages use: the common syntax, and nothing in a file becomes markup
// or a dangerous link.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { markdownTitle, renderInline, renderMarkdown, safeUrl } from '../lib/markdown.js';

test('headings, paragraphs, emphasis, code and rules', () => {
  assert.equal(
    renderMarkdown('# Title #\n\nOne *two* **three** `four`\nfive.\n\n---\n\n### Small'),
    '<h1>Title</h1>\n<p>One <em>two</em> <strong>three</strong> <code>four</code>\nfive.</p>\n<hr>\n<h3>Small</h3>',
  );
  assert.equal(
    renderInline('snake_case_name and _em_ and __strong__'),
    'snake_case_name and <em>em</em> and <strong>strong</strong>',
  );
  assert.equal(renderInline('2 * 3 * 4'), '2 * 3 * 4');
});

test('HTML in a file shows as text, everywhere', () => {
  const html = renderMarkdown(
    '# <script>alert(1)</script>\n\n<img src=x onerror=alert(1)> & "quotes"\n\n```html\n<b>bold</b>\n```\n\n- <i>item</i>',
  );
  assert.ok(!/<script|<img|<b>|<i>/.test(html), html);
  assert.ok(html.includes('<h1>&lt;script&gt;alert(1)&lt;/script&gt;</h1>'));
  assert.ok(html.includes('&lt;img src=x onerror=alert(1)&gt; &amp; &quot;quotes&quot;'));
  assert.ok(html.includes('<pre><code class="language-html">&lt;b&gt;bold&lt;/b&gt;\n</code></pre>'));
});

test('links and images lead only to the web, mail or this site', () => {
  assert.equal(
    renderInline('[About](/about) [Web](https://example.com "Example") <https://example.org>'),
    '<a href="/about">About</a> <a href="https://example.com" title="Example">Web</a> <a href="https://example.org">https://example.org</a>',
  );
  assert.equal(renderInline('[bad](javascript:alert(1))'), 'bad');
  assert.equal(renderInline('[bad]( JAVASCRIPT:alert(1))'), 'bad');
  assert.equal(renderInline('[bad](<java\tscript:alert(1)>)'), 'bad');
  assert.equal(renderInline('[x](data:text/html,hi)'), 'x');
  assert.equal(renderInline('![a cat](/cat.png)'), '<img src="/cat.png" alt="a cat" loading="lazy">');
  assert.equal(renderInline('![a cat](javascript:alert(1))'), 'a cat');
  assert.equal(safeUrl('mailto:ada@example.com'), 'mailto:ada@example.com');
  assert.equal(safeUrl('mailto:ada@example.com', { image: true }), undefined);
  assert.equal(renderInline('[say "hi"](/a?b="c")'), '<a href="/a?b=&quot;c&quot;">say &quot;hi&quot;</a>');
});

test('lists, nested lists and block quotes', () => {
  assert.equal(
    renderMarkdown('- one\n- two\n  - two a\n  - two b\n- three\n\n3. c\n4. d\n\n> quoted *text*\n> more'),
    [
      '<ul>',
      '<li>one</li>',
      '<li>two\n<ul>\n<li>two a</li>\n<li>two b</li>\n</ul></li>',
      '<li>three</li>',
      '</ul>',
      '<ol start="3">',
      '<li>c</li>',
      '<li>d</li>',
      '</ol>',
      '<blockquote>\n<p>quoted <em>text</em>\nmore</p>\n</blockquote>',
    ].join('\n'),
  );
});

test('backslash escapes, hard breaks and any script', () => {
  assert.equal(renderInline('\\*not em\\* \\[not a link\\]'), '*not em* [not a link]');
  assert.equal(renderMarkdown('line one  \nline two\\\nthree'), '<p>line one<br>\nline two<br>\nthree</p>');
  assert.equal(
    renderMarkdown('# Привет, 世界\n\nمرحبا *بالعالم*'),
    '<h1>Привет, 世界</h1>\n<p>مرحبا <em>بالعالم</em></p>',
  );
});

test('a document is titled by its first heading, as a reader sees it', () => {
  assert.equal(markdownTitle('Intro\n\n## The *first* [post](/x) & more\n# Later'), 'The first post & more');
  assert.equal(markdownTitle('no heading'), undefined);
});
