import { describe, expect, it } from 'vitest';
import { ReplyExtractor } from './reply-extractor.ts';

function streamed(text: string, size: number): { deltas: string[]; reply: string } {
  const x = new ReplyExtractor();
  const deltas: string[] = [];
  for (let i = 0; i < text.length; i += size) {
    const d = x.push(text.slice(i, i + size));
    if (d) deltas.push(d);
  }
  return { deltas, reply: x.reply };
}

describe('ReplyExtractor', () => {
  const reply = 'Added "Photo" — with a title.\nNext: likes? 😀 \\ done';
  const answer = {
    patch: [
      {
        op: 'add',
        path: '/sections/dataModel/entities/-',
        value: { name: 'Photo', reply: 'decoy', fields: [] },
      },
    ],
    note: 'reply',
    reply,
  };

  it('decodes the top-level reply whatever the chunking, skipping nested and decoy keys', () => {
    const json = JSON.stringify(answer);
    for (const size of [1, 2, 3, 7, 64, json.length]) expect(streamed(json, size).reply).toBe(reply);
  });

  it('decodes \\u escapes and surrogate pairs split across chunks, never emitting half a character', () => {
    const json = JSON.stringify({ reply }, null, 2).replace('😀', '\\ud83d\\ude00').replace('—', '\\u2014');
    const { deltas, reply: decoded } = streamed(json, 1);
    expect(decoded).toBe(reply);
    expect(deltas.some((d) => /^[\ud800-\udbff]$/.test(d))).toBe(false);
  });

  it('streams the reply before the patch arrives, and ignores a Markdown fence', () => {
    const json = `\`\`\`json\n{"reply": "Sure, adding it.", "patch": [{"op": "replace", "path": "/summary", "value": "x"}]}\n\`\`\``;
    const x = new ReplyExtractor();
    expect(x.push(json.slice(0, json.indexOf('adding') + 6))).toBe('Sure, adding');
    x.push(json.slice(json.indexOf('adding') + 6));
    expect(x.reply).toBe('Sure, adding it.');
  });
});
