import { describe, expect, it } from 'vitest';
import { readXml } from './xml-reader.ts';

/** The element tree as nested arrays, to compare whole documents. */
function tree(xml: string) {
  type Node = [string, Record<string, string>, Array<Node | string>];
  const root: Node = ['#', {}, []];
  const stack: Node[] = [root];
  readXml(xml, {
    open(name, attributes) {
      const node: Node = [name, { ...attributes }, []];
      stack.at(-1)![2].push(node);
      stack.push(node);
      return true;
    },
    close: () => void stack.pop(),
    text: (text) => void stack.at(-1)![2].push(text),
  });
  return root[2][0];
}

const BILLION_LAUGHS = `<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<testsuites><testsuite name="&lol3;"/></testsuites>`;

const XXE = `<?xml version="1.0"?>
<!DOCTYPE r [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<testsuite name="&xxe;"/>`;

describe('readXml', () => {
  it('reads elements, attributes in either quote, text, CDATA, and skips comments and processing instructions', () => {
    expect(
      tree(
        `\uFEFF<?xml version="1.0" encoding="utf-8"?>\n<!-- a comment -->\n<a x="1" y='two &amp; "three"'>t&lt;1&gt;<b/><![CDATA[<raw & text>]]><?pi x?><c z = "&#65;&#x42;"></c ></a>\n`,
      ),
    ).toEqual([
      'a',
      { x: '1', y: 'two & "three"' },
      ['t<1>', ['b', {}, []], '<raw & text>', ['c', { z: 'AB' }, []]],
    ]);
  });

  it('refuses a DOCTYPE, so no entity is ever defined or expanded (billion laughs, XXE)', () => {
    const started = performance.now();
    expect(() => tree(BILLION_LAUGHS)).toThrow(
      'line 2: DOCTYPE declarations are not accepted in test reports (entities are never expanded)',
    );
    expect(performance.now() - started).toBeLessThan(100);
    expect(() => tree(XXE)).toThrow(/line 2: DOCTYPE declarations are not accepted/);
    // Without a DOCTYPE a named entity other than XML's five is an error, not an empty string.
    expect(() => tree('<a>&xxe;</a>')).toThrow(
      "line 1: the entity &xxe; is not one of XML's five (&lt; &gt; &amp; &quot; &apos;)",
    );
  });

  it('decodes character references without growing the text', () => {
    const refs = '&#65;'.repeat(100_000);
    const text = tree(`<a>${refs}</a>`)![2][0] as string;
    expect(text).toBe('A'.repeat(100_000));
    expect(() => tree('<a>&#0;</a>')).toThrow('&#0; is not a character XML allows');
    expect(() => tree('<a>&#x110000;</a>')).toThrow('is not a character XML allows');
    expect(() => tree('<a>&#xD800;</a>')).toThrow('is not a character XML allows');
  });

  it('names the line of what is malformed', () => {
    const cases: Array<[string, string]> = [
      ['<a>\n<b>\n</a>', 'line 3: expected </b>, found </a>'],
      ['<a>\n<b>', 'line 2: the file ends inside <b>'],
      ['<a></a>\n<b/>', 'line 2: a second root element <b>'],
      ['<a>1 & 2</a>', 'a bare "&" (write &amp;)'],
      ['<a x="1" x="2"/>', 'the attribute x= appears twice in <a>'],
      ['<a x=1/>', 'a malformed attribute in <a>'],
      ['<a x="<"/>', '"<" in the value of x= (write &lt;)'],
      ['<a>\n\n< b/></a>', 'line 3: "<" that starts no tag (write &lt; in text)'],
      ['text<a/>', 'line 1: text outside the root element'],
      ['<a><!-- open</a>', 'a comment is not closed (-->)'],
      ['<a><![CDATA[x</a>', 'a CDATA section is not closed (]]>)'],
      ['</a>', '</a> closes nothing'],
      ['', 'no element found'],
      ['<?xml version="1.0"?>', 'no element found'],
      ['<a><!ELEMENT x ANY></a>', 'unexpected "<!"'],
      [`${'<a>'.repeat(65)}${'</a>'.repeat(65)}`, 'elements nested deeper than 64'],
      [
        `<a ${Array.from({ length: 65 }, (_, i) => `a${i}="1"`).join(' ')}/>`,
        'more than 64 attributes in <a>',
      ],
    ];
    for (const [xml, message] of cases) expect(() => tree(xml), xml.slice(0, 40)).toThrow(message);
  });

  it('keeps attributes in a null-prototype object: __proto__ and constructor are plain attributes', () => {
    let seen: Record<string, string> = {};
    readXml('<a constructor="x" __proto__="y"/>', {
      open: (_, attributes) => {
        seen = attributes;
        return true;
      },
      close: () => undefined,
      text: () => undefined,
    });
    expect(Object.getPrototypeOf(seen)).toBe(null);
    expect(Object.keys(seen)).toEqual(['constructor', '__proto__']);
    expect(Object.getOwnPropertyDescriptor(seen, '__proto__')?.value).toBe('y');
  });

  it('stops when the handler says it has seen enough', () => {
    const seen: string[] = [];
    readXml('<a><b/><c/><d/></a>', {
      open: (name) => {
        seen.push(name);
        return name !== 'c';
      },
      close: () => undefined,
      text: () => undefined,
    });
    expect(seen).toEqual(['a', 'b', 'c']);
  });
});
