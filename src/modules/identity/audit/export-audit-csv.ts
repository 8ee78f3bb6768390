import type { Clock } from '../../../platform/clock.ts';
import type { Queryable } from '../../../platform/db/pool.ts';
import type { AuditFilterQuery } from '../schemas.ts';
import { queryAudit } from './audit-store.ts';
import { csvRecord } from './csv.ts';
import { auditFilter, toAuditEvent } from './list-audit.ts';

const PAGE = 500;
const COLUMNS = [
  'id',
  'at',
  'actor',
  'on_behalf_of',
  'action',
  'target_type',
  'target_id',
  'project_id',
  'request_id',
  'ip',
  'details',
];

/**
 * The audit log as CSV, newest first, with the list's filters: a header row, then one row per
 * entry, read a page at a time so a long log never sits in memory. Admins only (checked by the route).
 */
export function exportAuditCsv(
  db: Queryable,
  clock: Clock,
  query: AuditFilterQuery,
): { filename: string; rows: AsyncGenerator<string> } {
  const stamp = clock
    .now()
    .toISOString()
    .replace(/\.\d+Z$/, 'Z')
    .replace(/:/g, '');
  const filter = auditFilter(query);
  async function* rows() {
    yield csvRecord(COLUMNS);
    let beforeId: number | undefined;
    for (;;) {
      const page = await queryAudit(db, { ...filter, beforeId, limit: PAGE });
      for (const row of page) {
        const e = toAuditEvent(row);
        const { onBehalfOf: _, ...details } = e.data;
        yield csvRecord([
          e.id,
          e.at,
          e.actor.name,
          e.actor.onBehalfOf?.username,
          e.action,
          e.target.type,
          e.target.id,
          e.projectId,
          e.requestId,
          e.ip,
          Object.keys(details).length ? JSON.stringify(details) : '',
        ]);
      }
      if (page.length < PAGE) return;
      beforeId = page[page.length - 1]!.id;
    }
  }
  return { filename: `orchard-audit-${stamp}.csv`, rows: rows() };
}
