import { setTimeout as sleep } from 'node:timers/promises';
import { type EventView, failureLines } from '../modules/operations/index.ts';
import type { OrchardClient } from './orchard-client.ts';

interface StepLine {
  key: string;
  status: string;
  attempt: number;
  fraction?: number;
  message?: string;
  children: Map<string, string>;
}

const TERMINAL = new Set(['succeeded', 'failed', 'cancelled']);

/** Exit codes of commands that follow an operation: 0 succeeded, 1 failed, 2 cancelled. */
export function exitCodeFor(status: string): number {
  return ({ succeeded: 0, failed: 1, cancelled: 2 } as Record<string, number>)[status] ?? 1;
}
const ICON: Record<string, string> = {
  succeeded: '✓',
  failed: '✗',
  cancelled: '⊘',
  running: '●',
  waiting: '◌',
  ready: '○',
  blocked: '○',
};

/** What `orchard ops watch` shows: one line per top-level step, fan-out children counted on their parent. */
export class WatchView {
  readonly steps = new Map<string, StepLine>();
  status = 'queued';
  run = 1;
  error?: string;
  /** The step whose failure ended the operation. */
  errorStep?: string;
  logs: string[] = [];

  apply(event: EventView) {
    const d = event.data as Record<string, unknown>;
    if (event.type === 'operation') {
      if (typeof d.status === 'string') this.status = d.status;
      if (typeof d.run === 'number') this.run = d.run;
      for (const s of (d.steps as Array<{ key: string }>) ?? []) this.line(s.key);
    } else if (event.type === 'steps') {
      for (const s of (d.added as Array<{ key: string; status: string }>) ?? []) this.line(s.key, s.status);
    } else if (event.type === 'step' && event.step) {
      const line = this.line(event.step, String(d.status));
      if (typeof d.attempt === 'number') line.attempt = d.attempt;
      if (d.status === 'succeeded') line.fraction = 1;
    } else if (event.type === 'progress' && event.step) {
      const line = this.line(event.step);
      line.fraction = Number(d.fraction);
      if (typeof d.message === 'string') line.message = d.message;
    } else if (event.type === 'log') {
      this.logs.push(
        ...String(d.text)
          .split('\n')
          .map((l) => `${event.step ?? ''} │ ${l}`),
      );
    } else if (event.type === 'error') {
      this.logs.push(...failureLines(event));
    } else if (event.type === 'complete' && d.run === this.run) {
      this.status = String(d.status);
      const error = d.error as { message?: string; step?: string } | undefined;
      if (error?.message) this.error = error.message;
      if (error?.step) this.errorStep = error.step;
    }
  }

  get done() {
    return TERMINAL.has(this.status);
  }

  /** The last line: `failed in step test: Pipeline #3 failed: …`. */
  get outcome(): string {
    const step = this.errorStep && this.status === 'failed' ? ` in step ${this.errorStep}` : '';
    return `${this.status}${step}${this.error ? `: ${this.error}` : ''}`;
  }

  /** Steps as lines: icon, key, a 20-wide bar, percent, attempt and message. */
  render(): string[] {
    const width = Math.min(30, Math.max(4, ...[...this.steps.keys()].map((k) => k.length)));
    return [...this.steps.values()].map((s) => {
      const fraction = s.fraction ?? (s.status === 'succeeded' ? 1 : 0);
      const filled = Math.round(fraction * 20);
      const bar = `${'█'.repeat(filled)}${'░'.repeat(20 - filled)}`;
      const done = [...s.children.values()].filter((c) => c === 'succeeded').length;
      const children = s.children.size ? ` ${done}/${s.children.size} children` : '';
      const retry = s.attempt > 1 ? ` (attempt ${s.attempt})` : '';
      const message = s.message && s.status === 'running' ? ` ${s.message}` : '';
      return `${ICON[s.status] ?? '○'} ${s.key.padEnd(width)} ${bar} ${String(Math.round(fraction * 100)).padStart(3)}% ${s.status}${retry}${children}${message}`;
    });
  }

  private line(key: string, status?: string): StepLine {
    const slash = key.indexOf('/');
    if (slash > 0) {
      // Children are counted on their top-level ancestor rather than drawn one per line.
      const top = this.line(key.slice(0, slash));
      if (status) top.children.set(key, status);
      else if (!top.children.has(key)) top.children.set(key, 'blocked');
      return { key, status: status ?? 'blocked', attempt: 0, children: new Map() };
    }
    let line = this.steps.get(key);
    if (!line) {
      line = { key, status: 'blocked', attempt: 0, children: new Map() };
      this.steps.set(key, line);
    }
    if (status) line.status = status;
    return line;
  }
}

/**
 * Follows an operation's event stream until its terminal event, reconnecting with Last-Event-ID
 * when the connection drops. Returns the final status.
 */
export async function watchOperation(
  client: OrchardClient,
  id: string,
  out: NodeJS.WriteStream,
): Promise<WatchView> {
  const view = new WatchView();
  const tty = Boolean(out.isTTY);
  let drawn = 0;
  const draw = () => {
    if (tty) {
      if (drawn) out.write(`\x1b[${drawn}A\x1b[0J`);
      for (const log of view.logs.splice(0)) out.write(`${log}\n`);
      const lines = view.render();
      out.write(lines.map((l) => `${l}\n`).join(''));
      drawn = lines.length;
    } else {
      for (const log of view.logs.splice(0)) out.write(`${log}\n`);
    }
  };
  let lastId: string | undefined;
  let failures = 0;
  const controller = new AbortController();
  while (!view.done) {
    try {
      const events = await client.stream(`/api/operations/${id}/events`, lastId, controller.signal);
      failures = 0;
      for await (const message of events) {
        lastId = message.id ?? lastId;
        const event = JSON.parse(message.data) as EventView;
        const before = event.step ? view.steps.get(event.step)?.status : undefined;
        view.apply(event);
        if (!tty && event.type === 'step' && event.step && before !== event.data.status) {
          out.write(
            `${event.step}: ${String(event.data.status)}${Number(event.data.attempt) > 1 ? ` (attempt ${event.data.attempt})` : ''}\n`,
          );
        }
        draw();
        if (view.done) break;
      }
    } catch (error) {
      if ((error as Error).name === 'CliError' || ++failures > 30) throw error;
    }
    if (!view.done) {
      // The stream ended early (server restart, proxy timeout): read the state, then resume.
      const op = await client.request<{
        status: string;
        run: number;
        error: { message: string; step?: string } | null;
      }>('GET', `/api/operations/${id}`);
      if (TERMINAL.has(op.status) && op.run === view.run) {
        view.status = op.status;
        view.error = op.error?.message;
        view.errorStep = op.error?.step;
      } else await sleep(1_000);
    }
  }
  controller.abort();
  return view;
}
