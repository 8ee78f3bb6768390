import type { ParsedScenarioEntry } from './schemas.ts';
import { FaultStatus, type StreamFaultKind } from './schemas.ts';

/** How one answer breaks: mid-stream after `after` content chunks, or as an HTTP error status. */
export type Fault =
  | { kind: StreamFaultKind; after: number }
  | { kind: 'status'; status: FaultStatus; retryAfter: number | null };

/** The request header that overrides the scenario's fault for one request. */
export const FAULT_HEADER = 'x-mock-fault';

const STREAM_KINDS: readonly string[] = ['reset', 'eof', 'stall', 'malformed', 'error-event'];

export function faultFromEntry(entry: ParsedScenarioEntry): Fault | null {
  if (!entry.fault) return null;
  if (entry.fault === 'status') {
    // The schema guarantees `status` is set whenever fault is `status`.
    return { kind: 'status', status: entry.status ?? 500, retryAfter: entry.retryAfter ?? null };
  }
  return { kind: entry.fault, after: entry.after ?? 0 };
}

/**
 * Parses `x-mock-fault`: `reset:5`, `eof:3`, `stall:2`, `malformed:1`, `error-event:2` (the number is
 * `after`, default 0), or `status:429:2` (status, then retry-after seconds) and `status:500`.
 */
export function parseFaultHeader(value: string): Fault {
  const [kind = '', first, second, ...extra] = value.trim().split(':');
  const usage = `${FAULT_HEADER} must look like reset:5, eof:3, stall:2, malformed:1, error-event:2, status:429:2 or status:500`;
  if (extra.length) throw new Error(`${usage} (got "${value}")`);
  if (kind === 'status') {
    const status = FaultStatus.safeParse(Number(first));
    if (!status.success)
      throw new Error(
        `${usage}; status must be one of ${[...FaultStatus.values].join(', ')} (got "${value}")`,
      );
    const retryAfter = second === undefined ? null : Number(second);
    if (retryAfter !== null && !(retryAfter >= 0))
      throw new Error(`${usage} (bad retry-after in "${value}")`);
    return { kind: 'status', status: status.data, retryAfter };
  }
  if (!STREAM_KINDS.includes(kind) || second !== undefined) throw new Error(`${usage} (got "${value}")`);
  const after = first === undefined || first === '' ? 0 : Number(first);
  if (!Number.isInteger(after) || after < 0) throw new Error(`${usage} (bad chunk count in "${value}")`);
  return { kind: kind as StreamFaultKind, after };
}
