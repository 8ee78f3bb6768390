import type { Clock } from '../../../platform/clock.ts';
import type { Db } from '../../../platform/db/pool.ts';
import type { Logger } from '../../../platform/log.ts';
import { TtlCache } from '../../../platform/ttl-cache.ts';
import { projectsWithService } from '../attachment-store.ts';
import { addPageViews, type PageViewCount } from './page-view-store.ts';

/** An app host's label → its environment (asked of the deploy module), or undefined. */
export type LabelResolver = (label: string) => Promise<{ id: string; projectId: string } | undefined>;

export interface PageViewCounterOptions {
  db: Db;
  clock: Clock;
  logger: Logger;
  environmentOfLabel: LabelResolver;
  /** Between writes (default 5 s). */
  flushMs?: number;
  /** Distinct (label, day, path) kept between writes; more are dropped and counted in the log. */
  maxKeys?: number;
}

const MAX_PATH = 300;

/** The path of a request target, without its query or fragment, bounded. */
export function pagePath(url: string): string {
  let end = url.length;
  const query = url.indexOf('?');
  if (query !== -1) end = query;
  const hash = url.indexOf('#');
  if (hash !== -1 && hash < end) end = hash;
  const path = url.slice(0, Math.min(end, MAX_PATH));
  if (!path.startsWith('/')) return `/${path}`.slice(0, MAX_PATH);
  return path.includes('\0') ? path.replace(/\0/g, '') : path;
}

/**
 * Counts the pages the app proxy served, off the request path: `note` increments a number in
 * memory; every `flushMs` one statement adds the counts of the environments whose projects attached
 * analytics (the others are dropped there, so the proxy never waits on the database). Views in
 * memory when the process dies are lost: the numbers are a count, not an audit.
 */
export class PageViewCounter {
  private counts = new Map<string, number>();
  private dropped = 0;
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> | undefined;
  private readonly labels = new TtlCache<{ id: string; projectId: string } | undefined>(10_000, 10_000);
  private closed = false;
  private day = '';
  private dayStarts = 0;
  private dayEnds = 0;

  constructor(private readonly o: PageViewCounterOptions) {}

  /** The proxy's hook: one page served at `label`. */
  readonly note = (label: string, url: string): void => {
    if (this.closed) return;
    const key = `${label}\n${this.today()}\n${pagePath(url)}`;
    const n = this.counts.get(key);
    if (n === undefined && this.counts.size >= (this.o.maxKeys ?? 20_000)) {
      this.dropped++;
      return;
    }
    this.counts.set(key, (n ?? 0) + 1);
    // Started on the first view: a process whose proxy serves nothing keeps no timer.
    this.timer ??= setInterval(() => void this.flush(), this.o.flushMs ?? 5_000).unref();
  };

  /** Today's date (UTC), worked out again only once the day is over. */
  private today(): string {
    const now = this.o.clock.now().getTime();
    if (now >= this.dayEnds || now < this.dayStarts) {
      this.dayStarts = now - (now % 86_400_000);
      this.dayEnds = this.dayStarts + 86_400_000;
      this.day = new Date(this.dayStarts).toISOString().slice(0, 10);
    }
    return this.day;
  }

  /** Writes what was counted so far (tests call it; the timer does otherwise). */
  flush(): Promise<void> {
    this.flushing ??= this.write().finally(() => {
      this.flushing = undefined;
    });
    return this.flushing;
  }

  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.timer);
    await this.flush();
  }

  private async write(): Promise<void> {
    if (!this.counts.size) return;
    const batch = this.counts;
    this.counts = new Map();
    if (this.dropped) {
      this.o.logger.warn(
        { dropped: this.dropped },
        'analytics: page views dropped (too many distinct pages)',
      );
      this.dropped = 0;
    }
    try {
      const rows: PageViewCount[] = [];
      const envs = new Map<string, { id: string; projectId: string } | undefined>();
      for (const key of batch.keys()) {
        const label = key.slice(0, key.indexOf('\n'));
        if (!envs.has(label))
          envs.set(label, await this.labels.get(label, () => this.o.environmentOfLabel(label)));
      }
      const projectIds = [...new Set([...envs.values()].flatMap((e) => (e ? [e.projectId] : [])))];
      const counting = await projectsWithService(this.o.db, projectIds, 'analytics');
      for (const [key, views] of batch) {
        const [label, day, path] = key.split('\n') as [string, string, string];
        const env = envs.get(label);
        if (env && counting.has(env.projectId))
          rows.push({ environmentId: env.id, projectId: env.projectId, day, path, views });
      }
      await addPageViews(this.o.db, rows);
    } catch (error) {
      this.o.logger.warn({ err: error }, 'analytics: writing page views failed; this batch is lost');
    }
  }
}
