import type { Db } from '../../../platform/db/pool.ts';
import { fetchPage, type Page } from '../../../platform/http/cursor.ts';
import type { LogSearch } from './log-search-sql.ts';
import { logSearchWhere } from './log-search-sql.ts';
import { logCursor, microIso } from './micro-cursor.ts';

export interface LogRecordView {
  time: string;
  observedTime: string | null;
  severityNumber: number;
  severityText: string;
  body: string;
  serviceName: string;
  attributes: Record<string, unknown>;
  resource: Record<string, unknown>;
  traceId: string | null;
  spanId: string | null;
}

interface LogRow extends LogRecordView {
  row_id: string;
}

/**
 * How many of the newest records in range are read in time order before the planner may choose
 * the text or attribute index: log text is made of templates, so the words of a search are far
 * more often found together than the planner's estimates assume, and a common one found by the
 * index means reading and sorting thousands of rows where the newest few hundred held the page.
 */
export const RECENT_SCAN_ROWS = 10_000;

const COLUMNS = `${microIso('time')} AS time,
  ${microIso('observed_time')} AS "observedTime", severity_number AS "severityNumber",
  severity_text AS "severityText", body, service_name AS "serviceName", attributes, resource,
  trace_id AS "traceId", span_id AS "spanId", ctid::text AS row_id`;
// Qualified: a bare `time` in ORDER BY would name the output column (the µs text), and sort every row.
const ORDER = 'ORDER BY otel_logs.time DESC, otel_logs.ctid DESC';
const SPARSE_ORDER = `ORDER BY otel_logs.time + interval '0 s' DESC, otel_logs.ctid DESC`;

/** `AND (time, ctid) < cursor`, its values appended to `params` (`time <=` lets the index bound it). */
function before(params: unknown[], cursor: readonly [string, string] | undefined): string {
  if (!cursor) return '';
  const t = `$${params.push(cursor[0])}::timestamptz`;
  return ` AND time <= ${t} AND (time, ctid) < (${t}, $${params.push(cursor[1])}::tid)`;
}

/**
 * One page of an environment's log records matching `search`, newest first, paged by a keyset
 * of (time µs, row) — see micro-cursor.ts.
 */
export async function searchLogs(
  db: Db,
  search: LogSearch,
  page: { limit: number; cursor?: string },
): Promise<Page<LogRecordView>> {
  const cursor = logCursor.decode(page.cursor);
  return fetchPage(
    page.limit,
    (want) => newestMatching(db, search, cursor, want),
    logCursor.key,
    ({ row_id: _, ...view }) => view,
  );
}

/** Up to `want` records matching `search` after the cursor, newest first. */
async function newestMatching(
  db: Db,
  search: LogSearch,
  cursor: readonly [string, string] | undefined,
  want: number,
): Promise<LogRow[]> {
  const { where, params } = logSearchWhere(search);
  const query = async (sql: (p: unknown[]) => string, limit: number, order = ORDER) => {
    const p = [...params];
    const text = `${sql(p)}${before(p, cursor)} ${order} LIMIT ${limit}`;
    return (await db.query<LogRow>(text, p)).rows;
  };
  const all = () => query(() => `SELECT ${COLUMNS} FROM otel_logs WHERE ${where}`, want);
  const filtered = search.words.length + search.phrases.length + search.attributes.length > 0;
  if (!filtered) return all();

  // Where the newest RECENT_SCAN_ROWS records of the range (after the cursor) begin.
  const edge = (
    await db.query<{ time: string }>(
      `SELECT ${microIso('time')} AS time FROM otel_logs
       WHERE environment_id = $1 AND time >= $2::timestamptz AND time < $3::timestamptz
         ${cursor ? 'AND time <= $4::timestamptz' : ''}
       ORDER BY otel_logs.time DESC OFFSET ${RECENT_SCAN_ROWS - 1} LIMIT 1`,
      [...params.slice(0, 3), ...(cursor ? [cursor[0]] : [])],
    )
  ).rows[0]?.time;
  if (!edge) return all();
  // The newest records read in time order (the subquery's OFFSET keeps the terms out of it, so
  // no index of theirs is used), then the older ones as the planner sees fit.
  const recent = await query(
    (p) => `SELECT ${COLUMNS} FROM (
       SELECT *, ctid AS ctid FROM otel_logs
       WHERE environment_id = $1 AND time >= $${p.push(edge)}::timestamptz AND time < $3::timestamptz OFFSET 0
     ) otel_logs WHERE ${where}`,
    want,
  );
  if (recent.length === want) return recent;
  // Matches are sparse here (the newest records held less than a page): reading in time order
  // could walk the whole range for them, so the order is one no index gives (the same order),
  // and the planner finds them through the indexes of the terms and severity, then sorts them.
  const older = await query(
    (p) => `SELECT ${COLUMNS} FROM otel_logs WHERE ${where} AND time < $${p.push(edge)}::timestamptz`,
    want - recent.length,
    SPARSE_ORDER,
  );
  return [...recent, ...older];
}
