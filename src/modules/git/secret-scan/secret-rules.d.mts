export interface SecretRule {
  /** Stable: part of every finding's fingerprint. */
  id: string;
  name: string;
  pattern: RegExp;
}

export interface SecretHit {
  rule: SecretRule;
  /** The secret itself: hashed into the fingerprint, never shown. */
  secret: string;
  /** What may be shown of it (`AKIA…MPLE`). */
  redacted: string;
  line: number;
}

export const RULES: readonly SecretRule[];
export const DOTENV_RULE: { id: string; name: string };
export const FINGERPRINT: RegExp;
export function isPlaceholder(body: string): boolean;
export function redact(match: string, body: string): string;
export function findSecrets(lines: readonly string[], first: number): SecretHit[];
export function isDotenvPath(path: string): boolean;
export function fingerprint(ruleId: string, path: string, secret: string): string;
