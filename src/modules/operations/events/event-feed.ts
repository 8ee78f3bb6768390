import type { Queryable } from '../../../platform/db/pool.ts';
import type { EventBus, Subscription } from '../../../platform/events/index.ts';
import type { Logger } from '../../../platform/log.ts';
import { EVENTS_CHANNEL, parseEventPointer } from './channels.ts';
import { type EventRow, type EventScope, lastEventId, readEvents } from './event-store.ts';

type Listener = (events: EventRow[]) => void;

interface Feed {
  scope: EventScope;
  lastId: number;
  listeners: Set<Listener>;
  ready: Promise<void>;
  fetching: boolean;
  again: boolean;
}

const PAGE = 500;
/** A notice can be lost (a writer crashed between commit and NOTIFY): feeds also look on their own. */
const SAFETY_POLL_MS = 2_000;

/**
 * Live events of operations and projects for every subscriber in this process: one LISTEN (the
 * bus) and, per notification, one read of the new rows per watched operation or project, shared
 * by all its subscribers — a thousand SSE clients on one operation cost one query per event batch.
 */
export class EventFeeds {
  private readonly feeds = new Map<string, Feed>();
  private subscription?: Subscription;
  private offReconnect?: () => void;
  private poller?: NodeJS.Timeout;

  constructor(
    private readonly db: Queryable,
    private readonly bus: EventBus,
    private readonly logger: Logger,
  ) {}

  /** Starts delivering new events of `scope` to `listener`; resolves once live. */
  async join(scope: EventScope, listener: Listener): Promise<() => void> {
    if (!this.subscription) {
      this.subscription = this.bus.subscribe(EVENTS_CHANNEL, (payload) => this.onNotify(payload));
      this.offReconnect = this.bus.onReconnect(() => this.pullAll());
      this.poller = setInterval(() => this.pullAll(), SAFETY_POLL_MS);
      this.poller.unref();
    }
    const subscription = this.subscription;
    const key = feedKey(scope);
    let feed = this.feeds.get(key);
    if (!feed) {
      const created: Feed = {
        scope,
        lastId: 0,
        listeners: new Set(),
        ready: Promise.resolve(),
        fetching: false,
        again: false,
      };
      // Listening first, then the high-water mark: nothing committed in between is lost.
      created.ready = subscription.ready.then(async () => {
        created.lastId = await lastEventId(this.db, scope);
      });
      this.feeds.set(key, created);
      feed = created;
    }
    feed.listeners.add(listener);
    const joined = feed;
    const leave = () => {
      joined.listeners.delete(listener);
      if (joined.listeners.size > 0 || this.feeds.get(key) !== joined) return;
      this.feeds.delete(key);
      if (this.feeds.size === 0) this.close();
    };
    try {
      await feed.ready;
    } catch (error) {
      leave();
      if (this.feeds.get(key) === joined) this.feeds.delete(key);
      throw error;
    }
    return leave;
  }

  get size() {
    return this.feeds.size;
  }

  private pullAll() {
    for (const feed of this.feeds.values()) void this.pull(feed);
  }

  private close() {
    clearInterval(this.poller);
    this.subscription?.();
    this.offReconnect?.();
    this.subscription = undefined;
    this.offReconnect = undefined;
  }

  private onNotify(payload: string) {
    const pointer = parseEventPointer(payload);
    if (!pointer) return;
    for (const key of [
      `op:${pointer.operationId}`,
      pointer.projectId ? `project:${pointer.projectId}` : '',
    ]) {
      const feed = key ? this.feeds.get(key) : undefined;
      if (feed && pointer.eventId > feed.lastId) void this.pull(feed);
    }
  }

  private async pull(feed: Feed) {
    if (feed.fetching) {
      feed.again = true;
      return;
    }
    feed.fetching = true;
    try {
      await feed.ready;
      for (;;) {
        feed.again = false;
        const rows = await readEvents(this.db, feed.scope, feed.lastId, PAGE);
        if (rows.length) {
          feed.lastId = rows[rows.length - 1]!.id;
          for (const listener of feed.listeners) listener(rows);
        }
        if (rows.length < PAGE && !feed.again) break;
      }
    } catch (error) {
      this.logger.warn({ err: error }, 'reading new events failed');
    } finally {
      feed.fetching = false;
    }
  }
}

function feedKey(scope: EventScope) {
  return 'operationId' in scope ? `op:${scope.operationId}` : `project:${scope.projectId}`;
}
