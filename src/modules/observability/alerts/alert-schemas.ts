import { z } from 'zod';

/** The states of a rule: ok → pending (held, not yet `for` times) → firing → resolved (→ ok). */
export const AlertState = z.enum(['ok', 'pending', 'firing', 'resolved']);
export type AlertState = z.infer<typeof AlertState>;

const common = {
  name: z.string().trim().min(1, 'Give the rule a name.').max(100),
  /** Minutes of telemetry each evaluation looks back over. */
  windowMinutes: z
    .number()
    .int()
    .min(1, 'The window is 1 to 60 minutes.')
    .max(60, 'The window is 1 to 60 minutes.'),
  /** Consecutive evaluations the condition must hold before the rule fires (1: at once). */
  for: z.number().int().min(1).max(100).default(1),
  enabled: z.boolean().default(true),
};

/**
 * Share of the window's server spans (kind 2, sent by the app) whose status is error (2), in
 * percent; when the window has no server spans, the share of its log records at severity error or
 * worse (17+). No spans and no logs: no value, so the rule does not hold. Fires when share > threshold.
 */
export const ErrorRateRule = z.object({
  kind: z.literal('error_rate'),
  ...common,
  threshold: z.number().min(0, 'A percentage is 0 to 100.').max(100, 'A percentage is 0 to 100.'),
});

/** The 95th percentile of the window's server spans' durations, in milliseconds; fires when > threshold. */
export const LatencyP95Rule = z.object({
  kind: z.literal('latency_p95'),
  ...common,
  threshold: z.number().min(0, 'A latency is 0 ms or more.').max(86_400_000),
});

/**
 * Log records of the window whose body matches `pattern`: `words` — all its words, in order, as a
 * phrase (the body's text-search words); `substring` — the text anywhere, case-insensitive. Fires
 * when the count ≥ threshold.
 */
export const LogPatternRule = z.object({
  kind: z.literal('log_pattern'),
  ...common,
  pattern: z.string().trim().min(1, 'Say which text to look for.').max(200),
  match: z.enum(['words', 'substring']).default('words'),
  threshold: z
    .number()
    .int('A count is a whole number.')
    .min(1, 'Fire at 1 matching record or more.')
    .max(1_000_000_000),
});

/**
 * A metric by name (optionally only points whose attributes include `attributes`), aggregated over
 * the window (`last`: the newest point). Gauges and sums use their value; histograms and summaries
 * their mean (sum / count). Fires when the aggregate is above (`>`) or below (`<`) the threshold.
 */
export const MetricThresholdRule = z.object({
  kind: z.literal('metric_threshold'),
  ...common,
  metric: z.string().trim().min(1, 'Name the metric.').max(200),
  aggregation: z.enum(['avg', 'max', 'min', 'last']),
  operator: z.enum(['>', '<']),
  attributes: z
    .record(z.string().min(1).max(200), z.string().max(500))
    .refine((a) => Object.keys(a).length <= 10, 'At most 10 attributes.')
    .default({}),
  threshold: z.number().min(-1e15).max(1e15),
});

/** A rule as created or replaced (PUT): its kind decides which fields it has. */
export const AlertRuleBody = z.discriminatedUnion('kind', [
  ErrorRateRule,
  LatencyP95Rule,
  LogPatternRule,
  MetricThresholdRule,
]);
export type AlertRuleBody = z.infer<typeof AlertRuleBody>;
export type AlertKind = AlertRuleBody['kind'];

const status = {
  id: z.string(),
  environment: z.string(),
  state: AlertState,
  lastValue: z.number().nullable(),
  lastEvaluatedAt: z.string().nullable(),
  lastError: z.string().nullable(),
  stateSince: z.string(),
  silencedUntil: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
};

export const AlertRuleView = z.discriminatedUnion('kind', [
  ErrorRateRule.extend(status),
  LatencyP95Rule.extend(status),
  LogPatternRule.extend(status),
  MetricThresholdRule.extend(status),
]);
export type AlertRuleView = z.infer<typeof AlertRuleView>;

export const AlertRuleList = z.object({ items: z.array(AlertRuleView) });

export const AlertEventView = z.object({
  id: z.number(),
  from: AlertState,
  to: AlertState,
  value: z.number().nullable(),
  silenced: z.boolean(),
  at: z.string(),
});
export type AlertEventView = z.infer<typeof AlertEventView>;
export const AlertEventList = z.object({ items: z.array(AlertEventView), nextCursor: z.string().nullable() });

/** Silence until a time (in the future, within 30 days), or `null` to lift the silence. */
export const SilenceBody = z.object({ until: z.iso.datetime({ offset: true }).nullable() });

export const AlertParams = z.object({ slug: z.string().min(1).max(100), id: z.uuid() });
