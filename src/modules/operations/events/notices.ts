import { type Db, type DbClient, type Queryable, withTransaction } from '../../../platform/db/pool.ts';
import { EVENTS_CHANNEL } from './channels.ts';

/**
 * NOTIFYs a transaction owes, sent after it commits. A NOTIFY inside a writing transaction takes a
 * cluster-wide lock that is held through the commit's WAL flush, serialising every writer; sent
 * afterwards — batched, from a transaction that writes nothing — it costs almost nothing.
 * A notice lost to a crash between commit and send only delays: listeners also poll.
 */
export class Notices {
  private readonly events = new Map<string, { projectId: string | null; eventId: number }>();
  private readonly others = new Set<string>();

  /** Events of `operationId` up to `eventId` were committed. */
  event(operationId: string, projectId: string | null, eventId: number) {
    const seen = this.events.get(operationId);
    if (!seen || seen.eventId < eventId) this.events.set(operationId, { projectId, eventId });
  }

  add(channel: string, payload: string) {
    this.others.add(`${channel}\n${payload}`);
  }

  merge(other: Notices) {
    for (const [op, e] of other.events) this.event(op, e.projectId, e.eventId);
    for (const entry of other.others) this.others.add(entry);
  }

  get empty() {
    return this.events.size === 0 && this.others.size === 0;
  }

  /** [channels, payloads] for `SELECT pg_notify(c, p) FROM unnest($1, $2)`. */
  toArrays(): [string[], string[]] {
    const channels: string[] = [];
    const payloads: string[] = [];
    for (const [op, e] of this.events) {
      channels.push(EVENTS_CHANNEL);
      payloads.push(`${op} ${e.projectId ?? '-'} ${e.eventId}`);
    }
    for (const entry of this.others) {
      const [channel, payload] = entry.split('\n') as [string, string];
      channels.push(channel);
      payloads.push(payload);
    }
    return [channels, payloads];
  }
}

const NOTIFY_SQL = 'SELECT pg_notify(c, p) FROM unnest($1::text[], $2::text[]) AS n(c, p)';

interface Outbox {
  next: Notices;
  sending: boolean;
  lastSent: number;
}
/** At most one NOTIFY statement per pool this often while busy; at once when idle. */
const PACE_MS = 5;
const outboxes = new WeakMap<Queryable, Outbox>();

/**
 * Sends notices at once when idle; while busy, together with everything else that arrives within a
 * few milliseconds — one NOTIFY statement for many transactions.
 */
export function publish(db: Queryable, notices: Notices) {
  if (notices.empty) return;
  let outbox = outboxes.get(db);
  if (!outbox) {
    outbox = { next: new Notices(), sending: false, lastSent: 0 };
    outboxes.set(db, outbox);
  }
  outbox.next.merge(notices);
  if (!outbox.sending) void send(db, outbox);
}

async function send(db: Queryable, outbox: Outbox) {
  outbox.sending = true;
  while (!outbox.next.empty) {
    const wait = outbox.lastSent + PACE_MS - Date.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    outbox.lastSent = Date.now();
    const batch = outbox.next;
    outbox.next = new Notices();
    await db.query(NOTIFY_SQL, batch.toArrays()).catch(() => undefined);
  }
  outbox.sending = false;
}

/** A transaction whose notices are published once it committed. */
export async function transact<T>(db: Db, fn: (tx: DbClient, notices: Notices) => Promise<T>): Promise<T> {
  const notices = new Notices();
  const result = await withTransaction(db, (tx) => fn(tx, notices));
  publish(db, notices);
  return result;
}
