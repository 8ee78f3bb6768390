import type { AlertKind, AlertRule, AlertState } from '../../api/alert-types.ts';

export const KIND_LABELS: Record<AlertKind, string> = {
  error_rate: 'Error rate',
  latency_p95: 'Latency (p95)',
  log_pattern: 'Log pattern',
  metric_threshold: 'Metric threshold',
};

export const STATE_TONES: Record<AlertState, 'neutral' | 'green' | 'amber' | 'red' | 'blue'> = {
  ok: 'green',
  pending: 'amber',
  firing: 'red',
  resolved: 'blue',
};

const number = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(Math.abs(n) < 10 ? 2 : 1));

/** A value as the rule's kind measures it: percent, milliseconds, a count, or the metric's number. */
export function formatAlertValue(kind: AlertKind, value: number | null): string {
  if (value === null) return 'no data';
  if (kind === 'error_rate') return `${number(value)} %`;
  if (kind === 'latency_p95') return `${number(value)} ms`;
  if (kind === 'log_pattern') return `${value} ${value === 1 ? 'record' : 'records'}`;
  return number(value);
}

/** The rule's condition in one line: `error rate > 5 % over 5 min`. */
export function describeCondition(rule: AlertRule): string {
  const window = `over ${rule.windowMinutes} min`;
  const forText = rule.for > 1 ? `, ${rule.for} evaluations in a row` : '';
  switch (rule.kind) {
    case 'error_rate':
      return `error rate > ${rule.threshold} % ${window}${forText}`;
    case 'latency_p95':
      return `p95 latency > ${rule.threshold} ms ${window}${forText}`;
    case 'log_pattern':
      return `logs ${rule.match === 'words' ? 'with' : 'containing'} "${rule.pattern}" ≥ ${rule.threshold} ${window}${forText}`;
    case 'metric_threshold': {
      const attrs = Object.entries(rule.attributes)
        .map(([k, v]) => `${k}=${v}`)
        .join(', ');
      return `${rule.aggregation}(${rule.metric}${attrs ? `{${attrs}}` : ''}) ${rule.operator} ${rule.threshold} ${window}${forText}`;
    }
  }
}
