import type { Element, ElementContent, Root } from 'hast';
import bash from 'highlight.js/lib/languages/bash';
import css from 'highlight.js/lib/languages/css';
import diff from 'highlight.js/lib/languages/diff';
import dockerfile from 'highlight.js/lib/languages/dockerfile';
import go from 'highlight.js/lib/languages/go';
import ini from 'highlight.js/lib/languages/ini';
import javascript from 'highlight.js/lib/languages/javascript';
import json from 'highlight.js/lib/languages/json';
import markdown from 'highlight.js/lib/languages/markdown';
import python from 'highlight.js/lib/languages/python';
import rust from 'highlight.js/lib/languages/rust';
import shell from 'highlight.js/lib/languages/shell';
import sql from 'highlight.js/lib/languages/sql';
import typescript from 'highlight.js/lib/languages/typescript';
import xml from 'highlight.js/lib/languages/xml';
import yaml from 'highlight.js/lib/languages/yaml';
import { createLowlight } from 'lowlight';

// A handful of grammars, not highlight.js's 190: what the projects Orchard builds are written in.
// Their aliases come along (js, jsx, ts, tsx, sh, html, svg, yml, toml, py, rs, golang, console…).
const lowlight = createLowlight({
  bash,
  css,
  diff,
  dockerfile,
  go,
  ini,
  javascript,
  json,
  markdown,
  python,
  rust,
  shell,
  sql,
  typescript,
  xml,
  yaml,
});

/** The language a fenced block names (```js → `language-js`), if it is one we highlight. */
export function fenceLanguage(code: Element): string | undefined {
  const classes = code.properties.className;
  if (!Array.isArray(classes)) return undefined;
  const named = classes.find((c) => typeof c === 'string' && c.startsWith('language-'));
  const language = typeof named === 'string' ? named.slice('language-'.length) : undefined;
  return language && lowlight.registered(language) ? language : undefined;
}

function textOf(node: ElementContent): string {
  if (node.type === 'text') return node.value;
  return node.type === 'element' ? node.children.map(textOf).join('') : '';
}

/**
 * Rehype plugin: replaces the text of each `pre > code` in a known language with highlight.js
 * token spans (`hljs-keyword`, …). It runs after sanitising: its spans come from the code's text,
 * never from the author's markup.
 */
export function rehypeHighlight() {
  return (tree: Root) => {
    const visit = (node: Root | Element) => {
      for (const child of node.children) {
        if (child.type !== 'element') continue;
        const code = child.tagName === 'pre' ? child.children.find(isCode) : undefined;
        const language = code && fenceLanguage(code);
        if (code && language) {
          const text = code.children.map(textOf).join('');
          code.children = lowlight.highlight(language, text).children as ElementContent[];
          code.properties.className = [...(code.properties.className as string[]), 'hljs'];
        } else visit(child);
      }
    };
    visit(tree);
  };
}

const isCode = (node: ElementContent): node is Element => node.type === 'element' && node.tagName === 'code';
