import type { Dialect, RefusalKind } from './dialect.ts';
import type { BodyWriter } from './relay-body.ts';

/** What the proxy answers: a provider's answer passed on, or its own refusal in the provider's words. */
export interface ProxyReply {
  status: number;
  headers: Record<string, string>;
  /** Bytes, or a provider's body that streams through as it comes. */
  body: string | Uint8Array | BodyWriter;
}

export function refusalReply(dialect: Dialect, kind: RefusalKind, message: string): ProxyReply {
  const refusal = dialect.refusal(kind, message);
  return {
    status: refusal.status,
    headers: { 'content-type': 'application/json', ...refusal.headers },
    body: JSON.stringify(refusal.body),
  };
}
