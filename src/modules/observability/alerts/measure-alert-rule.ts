import type { Queryable } from '../../../platform/db/pool.ts';
import {
  measureErrorRate,
  measureLatencyP95,
  measureLogMatches,
  measureMetric,
} from './alert-measure-queries.ts';
import type { AlertRuleBody } from './alert-schemas.ts';
import type { Operator } from './decide-alert-state.ts';

/** What a rule observes over the window ending `now`, and how that value is compared to its threshold. */
export async function measureAlertRule(
  db: Queryable,
  rule: AlertRuleBody,
  environmentId: string,
  now: Date,
): Promise<{ value: number | null; operator: Operator }> {
  const w = { environmentId, from: new Date(now.getTime() - rule.windowMinutes * 60_000), to: now };
  switch (rule.kind) {
    case 'error_rate':
      return { value: await measureErrorRate(db, w), operator: '>' };
    case 'latency_p95':
      return { value: await measureLatencyP95(db, w), operator: '>' };
    case 'log_pattern':
      return { value: await measureLogMatches(db, w, rule.pattern, rule.match), operator: '>=' };
    case 'metric_threshold':
      return { value: await measureMetric(db, w, rule), operator: rule.operator };
  }
}
