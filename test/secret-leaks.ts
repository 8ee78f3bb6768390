/**
 * Every 12-character window of a secret value and of its common encodings (hex, URL, JSON, and
 * the inner part of its base64 at each of the three offsets, both alphabets). A text that gives
 * the value away in any of these forms contains at least one of them.
 */
export function secretLeaks(value: string): string[] {
  const b64 = (s: string) => Buffer.from(s).toString('base64');
  const b64url = (s: string) => Buffer.from(s).toString('base64url');
  const hex = Buffer.from(value).toString('hex');
  const parts = [
    value,
    b64(value).slice(0, -4),
    b64(`A${value}`).slice(4, -4),
    b64(`AB${value}`).slice(4, -4),
    b64url(value).slice(0, -4),
    b64url(`A${value}`).slice(4, -4),
    b64url(`AB${value}`).slice(4, -4),
    hex,
    hex.toUpperCase(),
    encodeURIComponent(value),
    JSON.stringify(value).slice(1, -1),
  ];
  return [
    ...new Set(parts.flatMap((p) => Array.from({ length: p.length - 11 }, (_, i) => p.slice(i, i + 12)))),
  ];
}

/** The first window of `value`'s forms found in `text`, or undefined when it gives nothing away. */
export function findLeak(text: string, value: string): string | undefined {
  return secretLeaks(value).find((leak) => text.includes(leak));
}
