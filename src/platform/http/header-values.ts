/** Request headers as Node gives them (IncomingHttpHeaders) or as Fastify passes them on. */
export type RequestHeaders = Readonly<Record<string, string | string[] | undefined>>;

/** The first value of a header (Node joins some, repeats others). */
export function headerValue(headers: RequestHeaders, name: string): string | undefined {
  const value = headers[name];
  const first = Array.isArray(value) ? value[0] : value;
  return first?.trim() || undefined;
}

/** The token of `Authorization: Bearer <token>`. */
export function bearerToken(headers: RequestHeaders): string | undefined {
  const header = headerValue(headers, 'authorization');
  const match = header ? /^bearer\s+(.+)$/i.exec(header) : null;
  return match?.[1]?.trim() || undefined;
}
