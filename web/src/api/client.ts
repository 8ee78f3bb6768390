/** The one way the UI talks to the Orchard API: JSON in and out, problem+json turned into ApiError. */

export interface FieldError {
  field: string;
  message: string;
}

/** An RFC 9457 problem from the API (or a network failure, status 0). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly detail: string,
    readonly errors: FieldError[] = [],
    /** The whole problem document, for members beyond the standard ones (e.g. `conflicts`). */
    readonly problem: Record<string, unknown> = {},
  ) {
    super(detail);
    this.name = 'ApiError';
  }

  /** Field messages keyed by the body field they name (`body.slug` → `slug`). */
  fieldErrors(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const e of this.errors) {
      const key = e.field.replace(/^(body|query|params)\.?/, '') || '_';
      out[key] ??= e.message;
    }
    return out;
  }
}

export const CSRF_COOKIE = 'orchard_csrf';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function readCookie(name: string): string | undefined {
  for (const part of document.cookie.split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return decodeURIComponent(rest.join('='));
  }
  return undefined;
}

/** The session and CSRF cookies are set and cleared together; no CSRF cookie means no session. */
export const hasSessionCookie = () => readCookie(CSRF_COOKIE) !== undefined;

type Query = Record<string, string | number | boolean | undefined | null>;

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  body?: unknown;
  query?: Query;
  signal?: AbortSignal;
  /** Extra request headers (e.g. `If-Match` for optimistic concurrency). */
  headers?: Record<string, string>;
  /** The logout request itself: the one request sent while signing out. */
  duringSignOut?: boolean;
}

export function withQuery(path: string, query?: Query): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== '') params.set(key, String(value));
  }
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}

/** Requests on their way: signing out aborts them, so none comes back as a 401 after the session ends. */
const inFlight = new Set<AbortController>();
let signingOut = false;

/**
 * Ends the session with `send` (the logout request): every request still on its way is aborted
 * first, and none starts until the logout has answered.
 */
export async function signOut(send: () => Promise<void>): Promise<void> {
  signingOut = true;
  for (const controller of inFlight) controller.abort();
  try {
    await send();
  } finally {
    signingOut = false;
  }
}

export async function request<T>(path: string, options: RequestOptions = {}): Promise<T> {
  if (signingOut && !options.duringSignOut) throw new DOMException('Signing out', 'AbortError');
  const controller = new AbortController();
  const abort = () => controller.abort();
  options.signal?.addEventListener('abort', abort);
  if (options.signal?.aborted) controller.abort();
  inFlight.add(controller);
  try {
    return await send<T>(path, options, controller.signal);
  } finally {
    inFlight.delete(controller);
    options.signal?.removeEventListener('abort', abort);
  }
}

async function send<T>(path: string, options: RequestOptions, signal: AbortSignal): Promise<T> {
  const method = options.method ?? 'GET';
  const headers: Record<string, string> = {
    ...options.headers,
    accept: 'application/json, application/problem+json',
  };
  // Fastify rejects an empty body sent as JSON, so the content type goes only with a body.
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (!SAFE_METHODS.has(method)) {
    const csrf = readCookie(CSRF_COOKIE);
    if (csrf) headers['x-csrf-token'] = csrf;
  }
  let response: Response;
  try {
    response = await fetch(withQuery(path, options.query), {
      method,
      headers,
      credentials: 'same-origin',
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      signal,
    });
  } catch (error) {
    if ((error as Error).name === 'AbortError') throw error;
    throw new ApiError(
      0,
      'network_error',
      'Cannot reach the Orchard server. Check that it is running and retry.',
    );
  }
  // Read the body even when empty (204), so the request is finished before the caller moves on.
  const text = await response.text();
  if (response.status === 204) return undefined as T;
  const data = text ? safeJson(text) : undefined;
  if (!response.ok) throw toApiError(response, data);
  return data as T;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function toApiError(response: Response, data: unknown): ApiError {
  const problem = (data ?? {}) as { code?: unknown; detail?: unknown; errors?: unknown };
  const errors = Array.isArray(problem.errors)
    ? problem.errors.filter(
        (e): e is FieldError => typeof e?.field === 'string' && typeof e?.message === 'string',
      )
    : [];
  return new ApiError(
    response.status,
    typeof problem.code === 'string' ? problem.code : `http_${response.status}`,
    typeof problem.detail === 'string'
      ? problem.detail
      : `The server answered ${response.status} ${response.statusText}.`,
    errors,
    typeof data === 'object' && data !== null ? (data as Record<string, unknown>) : {},
  );
}

/** Turns a failed non-JSON fetch (raw files, downloads) into the same ApiError as `request`. */
export async function errorFromResponse(response: Response): Promise<ApiError> {
  return toApiError(response, safeJson(await response.text()));
}

export const api = {
  get: <T>(path: string, query?: Query) => request<T>(path, { query }),
  post: <T>(path: string, body?: unknown) => request<T>(path, { method: 'POST', body }),
  put: <T>(path: string, body?: unknown) => request<T>(path, { method: 'PUT', body }),
  patch: <T>(path: string, body?: unknown) => request<T>(path, { method: 'PATCH', body }),
  delete: <T = void>(path: string) => request<T>(path, { method: 'DELETE' }),
};

/** Encodes one path segment (slugs, usernames and secret names come from users). */
export const seg = (value: string) => encodeURIComponent(value);
