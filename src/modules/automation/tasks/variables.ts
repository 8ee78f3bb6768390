/**
 * `%name%` placeholders: filled in at the last moment (just before a value reaches the page), and
 * everything that leaves the browser — planner requests, logs, events, HAR, trace — is passed
 * through `redact`, which turns any secret value (raw, URL-, form-, JSON- or base64-encoded) back
 * into its placeholder.
 */

const PLACEHOLDER = /%([A-Za-z_][A-Za-z0-9_]{0,63})%/g;

export class UnknownVariableError extends Error {}

export interface Variables {
  /** Replaces every `%name%` with its value; an unknown name is an error, not left as is. */
  fill(template: string): string;
  /** Says whether a template uses any secret. */
  usesSecret(template: string): boolean;
  /** Secret values (in every encoding a request may carry them) → `%name%`. */
  redact(text: string): string;
  /** The same over a Buffer: unchanged (the same object) when no secret was in it. */
  redactBuffer(data: Buffer): Buffer;
  readonly names: string[];
  /** The secret values a page could show, as they are typed (those long enough to be redacted). */
  readonly secretTexts: string[];
}

/** Shorter values would turn ordinary words into placeholders; they are still filled in. */
const MIN_REDACTED_LENGTH = 3;

export function createVariables(plain: Record<string, string>, secrets: Record<string, string>): Variables {
  const values = new Map<string, string>([...Object.entries(plain), ...Object.entries(secrets)]);
  // Every form a secret may take on the wire, longest first so that no shorter one cuts a longer.
  const forms: Array<[string, string]> = [];
  for (const [name, value] of Object.entries(secrets)) {
    if (value.length < MIN_REDACTED_LENGTH) continue;
    const placeholder = `%${name}%`;
    const encoded = new Set([
      value,
      encodeURIComponent(value),
      new URLSearchParams({ v: value }).toString().slice(2),
      JSON.stringify(value).slice(1, -1),
      Buffer.from(value).toString('base64').replace(/=+$/, ''),
    ]);
    for (const form of encoded) forms.push([form, placeholder]);
  }
  forms.sort((a, b) => b[0].length - a[0].length);
  const secretNames = new Set(Object.keys(secrets));

  const redact = (text: string) => {
    let out = text;
    for (const [form, placeholder] of forms) if (out.includes(form)) out = out.split(form).join(placeholder);
    return out;
  };
  return {
    names: [...values.keys()],
    secretTexts: Object.values(secrets).filter((value) => value.length >= MIN_REDACTED_LENGTH),
    fill(template) {
      return template.replace(PLACEHOLDER, (_, name: string) => {
        const value = values.get(name);
        if (value === undefined)
          throw new UnknownVariableError(
            `%${name}% is neither a variable nor a secret of this task; add it to variables or secrets`,
          );
        return value;
      });
    },
    usesSecret(template) {
      for (const match of template.matchAll(PLACEHOLDER)) if (secretNames.has(match[1]!)) return true;
      return false;
    },
    redact,
    redactBuffer(data) {
      if (!forms.length) return data;
      // Byte for byte (latin1 maps each byte to one char), so binary data around a match survives.
      let text = data.toString('latin1');
      let changed = false;
      for (const [form, placeholder] of forms) {
        const bytes = Buffer.from(form).toString('latin1');
        if (!text.includes(bytes)) continue;
        text = text.split(bytes).join(placeholder);
        changed = true;
      }
      return changed ? Buffer.from(text, 'latin1') : data;
    },
  };
}

/** The placeholders a template names. */
export function placeholdersIn(template: string): string[] {
  return [...template.matchAll(PLACEHOLDER)].map((m) => m[1]!);
}
