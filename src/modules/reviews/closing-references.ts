/**
 * Issue numbers a text closes with a closing keyword, as GitHub and GitLab read them: `Closes #12`,
 * `fixes: #3`, `Resolves #4, #5 and #6`, any case. A bare `#7` (a mention), another project's
 * `group/app#7` and `#7x` close nothing. First mention first, each number once.
 */
export function closingReferences(text: string): number[] {
  const found = new Set<number>();
  for (const match of text.matchAll(CLOSING)) {
    for (const ref of match[1]!.matchAll(/#(\d{1,10})/g)) {
      const n = Number(ref[1]);
      if (n >= 1 && n <= MAX_INT4) found.add(n);
    }
  }
  return [...found];
}

const MAX_INT4 = 2_147_483_647;
const REF = String.raw`#\d+(?![\w/#])`;
const SEPARATOR = String.raw`(?:[ \t]*,[ \t]*(?:and[ \t]+)?|[ \t]+and[ \t]+)`;
const CLOSING = new RegExp(
  String.raw`\b(?:close[sd]?|closing|fix(?:e[sd])?|fixing|resolve[sd]?|resolving)\b:?[ \t]+(${REF}(?:${SEPARATOR}${REF})*)`,
  'gi',
);
