import { request } from 'node:http';
import type { AppProcess } from './app-process.ts';

export interface HealthOptions {
  path: string;
  /** The whole budget: the app must answer 2xx within it. */
  timeoutMs: number;
  /** Time between probes. */
  intervalMs: number;
  /** Per probe (kamal-proxy uses 5 s). */
  probeTimeoutMs?: number;
}

export type HealthResult = { ok: true; ms: number } | { ok: false; reason: string };

/** One GET; resolves with what came back (never rejects). */
export function probe(
  port: number,
  path: string,
  timeoutMs: number,
): Promise<{ status?: number; body?: string; error?: string }> {
  return new Promise((resolve) => {
    const req = request(
      { host: '127.0.0.1', port, path, method: 'GET', timeout: timeoutMs, agent: false },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => {
          if (body.length < 500) body += c;
        });
        res.on('end', () => resolve({ status: res.statusCode, body: body.slice(0, 500) }));
        res.on('error', (e) => resolve({ error: e.message }));
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on('error', (e: NodeJS.ErrnoException) =>
      resolve({
        error: e.code === 'ECONNREFUSED' ? 'connection refused (is it listening on $PORT?)' : e.message,
      }),
    );
    req.end();
  });
}

/**
 * Probes `GET path` until it answers 2xx, the process exits, or the budget runs out. The failure
 * reason quotes the last answer so the user sees what the app said.
 */
export async function waitHealthy(proc: AppProcess, options: HealthOptions): Promise<HealthResult> {
  const started = Date.now();
  const deadline = started + options.timeoutMs;
  let last = 'no answer yet';
  for (;;) {
    if (!proc.running) {
      const r = proc.result!;
      if (r.error) return { ok: false, reason: r.error.replace(/\.$/, '') };
      return {
        ok: false,
        reason: `the app exited (${r.signal ? `signal ${r.signal}` : `code ${r.exitCode}`}) before it was healthy; last health check: ${last}`,
      };
    }
    const remaining = deadline - Date.now();
    if (remaining <= 0) {
      return {
        ok: false,
        reason: `GET ${options.path} did not answer 2xx within ${Math.round(options.timeoutMs / 100) / 10} s; last answer: ${last}`,
      };
    }
    const fullBudget = options.probeTimeoutMs ?? 5_000;
    const answer = await probe(proc.port, options.path, Math.min(fullBudget, remaining));
    if (answer.status !== undefined && answer.status >= 200 && answer.status < 300) {
      return { ok: true, ms: Date.now() - started };
    }
    // A last probe cut short by the deadline says nothing new: keep what the app last answered.
    const cutShort = answer.status === undefined && remaining < fullBudget && last !== 'no answer yet';
    if (!cutShort)
      last =
        answer.status !== undefined
          ? `HTTP ${answer.status}${answer.body ? ` ${JSON.stringify(answer.body.trim().slice(0, 200))}` : ''}`
          : (answer.error ?? 'no answer');
    const wait = Math.min(options.intervalMs, deadline - Date.now());
    if (wait > 0) await Promise.race([new Promise((r) => setTimeout(r, wait)), proc.exited]);
  }
}
