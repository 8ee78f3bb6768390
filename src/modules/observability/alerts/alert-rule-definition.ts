import { AlertRuleBody, type AlertRuleView } from './alert-schemas.ts';
import type { AlertRuleFields, AlertRuleRow } from './alert-store.ts';

/** A rule as the API gives it, in the columns that store it (kind-specific fields in `condition`). */
export function toRuleFields(body: AlertRuleBody): AlertRuleFields {
  const { kind, name, windowMinutes, for: forEvaluations, enabled, threshold, ...condition } = body;
  return { kind, name, threshold, windowSeconds: windowMinutes * 60, forEvaluations, enabled, condition };
}

/** The stored rule back as its definition (validated, so a row always reads as what was accepted). */
export function ruleDefinition(row: AlertRuleRow): AlertRuleBody {
  return AlertRuleBody.parse({
    ...row.condition,
    kind: row.kind,
    name: row.name,
    windowMinutes: Math.round(row.window_seconds / 60),
    for: row.for_evaluations,
    enabled: row.enabled,
    threshold: row.threshold,
  });
}

export function toAlertRuleView(row: AlertRuleRow): AlertRuleView {
  return {
    ...ruleDefinition(row),
    id: row.id,
    environment: row.environment_name,
    state: row.state,
    lastValue: row.last_value,
    lastEvaluatedAt: row.last_evaluated_at?.toISOString() ?? null,
    lastError: row.last_error,
    stateSince: row.state_since.toISOString(),
    silencedUntil: row.silenced_until?.toISOString() ?? null,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}
