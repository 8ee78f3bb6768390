/** RFC 6901 JSON Pointers: `/sections/pages/0/name`, with `~1` for `/` and `~0` for `~`. */

/** Thrown for a malformed pointer; apply-patch turns it into a ValidationError naming the op. */
export class PointerError extends Error {}

export function parsePointer(pointer: string): string[] {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) throw new PointerError(`"${pointer}" must be empty or start with /`);
  return pointer
    .slice(1)
    .split('/')
    .map((token) => {
      if (/~[^01]|~$/.test(token)) throw new PointerError(`"${pointer}" has a ~ not followed by 0 or 1`);
      return token.replace(/~1/g, '/').replace(/~0/g, '~');
    });
}

export function formatPointer(tokens: readonly (string | number)[]): string {
  return tokens.map((t) => '/' + String(t).replace(/~/g, '~0').replace(/\//g, '~1')).join('');
}

/** True when `prefix` names `path` itself or one of its ancestors. */
export function isPrefixPointer(prefix: readonly string[], path: readonly string[]): boolean {
  return prefix.length <= path.length && prefix.every((t, i) => t === path[i]);
}
