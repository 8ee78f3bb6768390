import { z } from 'zod';
import { decodeCursor } from '../../../platform/http/cursor.ts';

/**
 * Timestamps with all six fraction digits, as PostgreSQL keeps them: telemetry times are µs, and a
 * cursor rounded to ms would skip or repeat the records of the same millisecond.
 */
export const MicroTimestamp = z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/);

/** SQL that renders a timestamptz column as a µs ISO string in UTC (what MicroTimestamp takes). */
export const microIso = (column: string) =>
  `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

const LogCursor = z.tuple([MicroTimestamp, z.string().regex(/^\(\d{1,10},\d{1,5}\)$/)]);
const TraceCursor = z.tuple([MicroTimestamp, z.string().regex(/^[0-9a-f]{32}$/)]);

/**
 * A log record's place: its time and its row's ctid. Records have no id; records of one time
 * share a partition (the table is partitioned by time) and are never updated, so the ctid tells
 * them apart for as long as a reader pages.
 */
export const logCursor = {
  /** The cursor values of a record (what `fetchPage` encodes). */
  key: (row: { time: string; row_id: string }) => [row.time, row.row_id],
  decode: (cursor: string | undefined) => decodeCursor(cursor, LogCursor),
};

/** A trace's place in the trace list: its start and its id. */
export const traceCursor = {
  /** The cursor values of a trace (what `fetchPage` encodes). */
  key: (trace: { start: string; traceId: string }) => [trace.start, trace.traceId],
  decode: (cursor: string | undefined) => decodeCursor(cursor, TraceCursor),
};
