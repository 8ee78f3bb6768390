import type { BrowserContext } from 'playwright-core';

export const ADMIN = { username: 'admin', email: 'admin@example.test', password: 'correct horse battery' };

export interface ApiSession {
  /** Calls the API with the browser context's cookies (and the CSRF header for writes). */
  call<T = unknown>(
    method: string,
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<{ status: number; body: T }>;
}

/**
 * Creates the first admin through the API inside a browser context, so the browser is signed in
 * too (the context's request client shares its cookie jar).
 */
export async function createAdminSession(context: BrowserContext): Promise<ApiSession> {
  const created = await context.request.post('/api/setup/admin', { data: ADMIN });
  if (created.status() !== 201)
    throw new Error(`setup/admin answered ${created.status()}: ${await created.text()}`);
  return sessionOf(context, ((await created.json()) as { csrfToken: string }).csrfToken);
}

/** Signs the admin in (once the first test created it) inside a browser context. */
export async function signInAdmin(context: BrowserContext): Promise<ApiSession> {
  const response = await context.request.post('/api/auth/login', {
    data: { login: ADMIN.username, password: ADMIN.password },
  });
  if (response.status() !== 200)
    throw new Error(`login answered ${response.status()}: ${await response.text()}`);
  return sessionOf(context, ((await response.json()) as { csrfToken: string }).csrfToken);
}

function sessionOf(context: BrowserContext, csrfToken: string): ApiSession {
  return {
    async call<T>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
      const response = await context.request.fetch(path, {
        method,
        headers: { 'x-csrf-token': csrfToken, ...headers },
        ...(body === undefined ? {} : { data: body }),
      });
      const text = await response.text();
      return { status: response.status(), body: (text ? JSON.parse(text) : undefined) as T };
    },
  };
}

/** Waits (polling the API, with a deadline) until an operation has ended; returns its status. */
export async function operationEnded(session: ApiSession, id: string, timeoutMs = 180_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  let last = 'unread';
  for (;;) {
    // A dropped connection (a reused socket the server just closed) is retried, not fatal: the
    // question is the operation's status, and the deadline still bounds the wait.
    const op = await session
      .call<{ status: string }>('GET', `/api/operations/${id}`)
      .catch((error: Error) => ({ body: { status: '' }, transport: error.message }));
    if ('transport' in op) last = `unreadable (${op.transport})`;
    else if (['succeeded', 'failed', 'cancelled'].includes(op.body.status)) return op.body.status;
    else last = op.body.status;
    if (Date.now() > deadline) throw new Error(`operation ${id} still ${last} after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

interface StepSummary {
  key: string;
  status: string;
  attempt: number;
  error: string | null;
}

/**
 * Waits for a build operation to succeed. When it fails, or is still going at the deadline, the
 * error names each unfinished or failed step with its attempt and error, so a CI log says where
 * it stopped instead of only that a selector never appeared.
 */
export async function buildSucceeded(
  session: ApiSession,
  id: string,
  timeoutMs: number,
  serverOutput?: () => string,
): Promise<void> {
  let status: string;
  try {
    status = await operationEnded(session, id, timeoutMs);
  } catch (error) {
    status = (error as Error).message;
  }
  if (status === 'succeeded') return;
  const server = serverOutput ? `\nthe server's last words:\n${serverOutput().slice(-4000)}` : '';
  throw new Error(`build ${id}: ${status}\n${await stepsOf(session, id)}${server}`);
}

async function stepsOf(session: ApiSession, id: string): Promise<string> {
  const op = await session.call<{ error: string | null; steps: StepSummary[] }>(
    'GET',
    `/api/operations/${id}`,
  );
  const lines = op.body.steps
    .filter((s) => s.status !== 'succeeded')
    .map((s) => `  ${s.key}: ${s.status} (attempt ${s.attempt})${s.error ? ` — ${s.error}` : ''}`);
  return [`operation error: ${op.body.error ?? 'none'}`, ...lines].join('\n');
}
