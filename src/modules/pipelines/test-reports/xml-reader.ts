/**
 * A small strict XML reader for test reports: elements, attributes, text, CDATA, comments and
 * processing instructions, nothing more. A DOCTYPE is refused outright, so no entity is ever
 * defined, let alone expanded (no XXE, no "billion laughs"); only the five predefined entities and
 * character references are decoded, each from at least four characters of input, so decoding never
 * grows the text. Report files come from the code a job ran: trust none of it.
 */

export class XmlError extends Error {
  override name = 'XmlError';
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(`line ${line}: ${message}`);
  }
}

export interface XmlHandler {
  /** An element starts; returning `false` stops reading (the caller has seen enough). */
  open(name: string, attributes: Record<string, string>, line: number): boolean | undefined;
  close(name: string): void;
  text(text: string): void;
}

const MAX_DEPTH = 64;
const MAX_ATTRIBUTES = 64;
const NAME = /[A-Za-z_:\u00C0-\uFFFF][-A-Za-z0-9_:.\u00B7\u00C0-\uFFFF]*/y;
const SPACE = /[ \t\r\n]*/y;
const ATTRIBUTE =
  /([A-Za-z_:\u00C0-\uFFFF][-A-Za-z0-9_:.\u00B7\u00C0-\uFFFF]*)[ \t\r\n]*=[ \t\r\n]*(?:"([^"]*)"|'([^']*)')/y;
const PREDEFINED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

/** Reads `xml` start to end, calling `handler`; throws `XmlError` (with the line) on anything malformed. */
export function readXml(xml: string, handler: XmlHandler): void {
  const lineAt = lineCounter(xml);
  const fail = (message: string, at: number): never => {
    throw new XmlError(message, lineAt(at));
  };
  const stack: string[] = [];
  let rootSeen = false;
  let i = xml.charCodeAt(0) === 0xfeff ? 1 : 0;

  while (i < xml.length) {
    const lt = xml.indexOf('<', i);
    const end = lt < 0 ? xml.length : lt;
    if (end > i) {
      const raw = xml.slice(i, end);
      if (stack.length) handler.text(decode(raw, i, fail));
      else if (/[^ \t\r\n]/.test(raw)) fail('text outside the root element', i);
    }
    if (lt < 0) break;
    i = lt;
    if (xml.startsWith('<!--', i)) {
      const close = xml.indexOf('-->', i + 4);
      if (close < 0) fail('a comment is not closed (-->)', i);
      i = close + 3;
    } else if (xml.startsWith('<![CDATA[', i)) {
      const close = xml.indexOf(']]>', i + 9);
      if (close < 0) fail('a CDATA section is not closed (]]>)', i);
      if (!stack.length) fail('CDATA outside the root element', i);
      handler.text(xml.slice(i + 9, close));
      i = close + 3;
    } else if (xml.startsWith('<?', i)) {
      const close = xml.indexOf('?>', i + 2);
      if (close < 0) fail('a processing instruction is not closed (?>)', i);
      i = close + 2;
    } else if (xml.startsWith('<!', i)) {
      fail(
        /^<!DOCTYPE/i.test(xml.slice(i, i + 9))
          ? 'DOCTYPE declarations are not accepted in test reports (entities are never expanded)'
          : 'unexpected "<!"',
        i,
      );
    } else if (xml[i + 1] === '/') {
      NAME.lastIndex = i + 2;
      const name = NAME.exec(xml)?.[0];
      if (!name) fail('a closing tag without a name', i);
      SPACE.lastIndex = i + 2 + name!.length;
      SPACE.exec(xml);
      if (xml[SPACE.lastIndex] !== '>') fail(`the closing tag </${name}> is not closed with ">"`, i);
      const open = stack.pop();
      if (open !== name)
        fail(open ? `expected </${open}>, found </${name}>` : `</${name}> closes nothing`, i);
      handler.close(name!);
      i = SPACE.lastIndex + 1;
    } else {
      NAME.lastIndex = i + 1;
      const name = NAME.exec(xml)?.[0];
      if (!name) fail('"<" that starts no tag (write &lt; in text)', i);
      if (!stack.length && rootSeen) fail(`a second root element <${name}>`, i);
      let at = i + 1 + name!.length;
      const attributes: Record<string, string> = Object.create(null);
      let count = 0;
      for (;;) {
        SPACE.lastIndex = at;
        const spaced = SPACE.exec(xml)![0].length > 0;
        at = SPACE.lastIndex;
        if (xml[at] === '>' || xml.startsWith('/>', at)) break;
        if (!spaced) fail(`a malformed tag <${name}>`, at);
        ATTRIBUTE.lastIndex = at;
        const m = ATTRIBUTE.exec(xml);
        if (!m) fail(`a malformed attribute in <${name}>`, at);
        const [whole, key, double, single] = m!;
        const value = double ?? single ?? '';
        if (value.includes('<')) fail(`"<" in the value of ${key}= (write &lt;)`, at);
        if (Object.hasOwn(attributes, key!)) fail(`the attribute ${key}= appears twice in <${name}>`, at);
        if (++count > MAX_ATTRIBUTES) fail(`more than ${MAX_ATTRIBUTES} attributes in <${name}>`, at);
        attributes[key!] = decode(value, at, fail);
        at += whole.length;
      }
      const selfClosing = xml[at] === '/';
      if (stack.length >= MAX_DEPTH) fail(`elements nested deeper than ${MAX_DEPTH}`, i);
      rootSeen = true;
      if (handler.open(name!, attributes, lineAt(i)) === false) return;
      if (selfClosing) handler.close(name!);
      else stack.push(name!);
      i = at + (selfClosing ? 2 : 1);
    }
  }
  if (stack.length) fail(`the file ends inside <${stack.at(-1)}>`, xml.length);
  if (!rootSeen) fail('no element found', xml.length);
}

const REFERENCE = /&(#x[0-9A-Fa-f]{1,6}|#[0-9]{1,7}|[A-Za-z][A-Za-z0-9]{0,31})?(;?)/g;

function decode(raw: string, offset: number, fail: (message: string, at: number) => never): string {
  if (!raw.includes('&')) return raw;
  return raw.replace(REFERENCE, (whole, ref: string | undefined, semicolon: string, at: number) => {
    if (!ref || !semicolon) fail(`a bare "&" (write &amp;)`, offset + at);
    if (ref![0] !== '#') {
      const char = PREDEFINED[ref!];
      if (char === undefined)
        fail(`the entity &${ref}; is not one of XML's five (&lt; &gt; &amp; &quot; &apos;)`, offset + at);
      return char!;
    }
    const code = ref![1] === 'x' ? Number.parseInt(ref!.slice(2), 16) : Number(ref!.slice(1));
    const allowed =
      code === 0x9 ||
      code === 0xa ||
      code === 0xd ||
      (code >= 0x20 && code <= 0xd7ff) ||
      (code >= 0xe000 && code <= 0xfffd) ||
      (code >= 0x10000 && code <= 0x10ffff);
    if (!allowed) fail(`${whole} is not a character XML allows`, offset + at);
    return String.fromCodePoint(code);
  });
}

/** Line numbers for offsets that mostly grow (the reader moves forward): each newline is found once. */
function lineCounter(text: string): (offset: number) => number {
  let line = 1;
  let next = text.indexOf('\n');
  let last = 0;
  return (offset) => {
    if (offset < last) {
      line = 1;
      next = text.indexOf('\n');
    }
    last = offset;
    while (next >= 0 && next < offset) {
      line++;
      next = text.indexOf('\n', next + 1);
    }
    return line;
  };
}
