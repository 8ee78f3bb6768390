import { type FormEvent, useId, useState } from 'react';
import type { AlertKind, AlertRule, AlertRuleBody } from '../../api/alert-types.ts';
import { ApiError } from '../../api/client.ts';
import { FormError } from '../../widgets/alert.tsx';
import { Button } from '../../widgets/button.tsx';
import { FieldShell, selectClass, TextField } from '../../widgets/field.tsx';
import { KIND_LABELS } from './alert-format.ts';
import { useSaveAlertRule } from './alert-queries.ts';

interface Draft {
  kind: AlertKind;
  name: string;
  windowMinutes: string;
  threshold: string;
  for: string;
  enabled: boolean;
  pattern: string;
  match: 'words' | 'substring';
  metric: string;
  aggregation: 'avg' | 'max' | 'min' | 'last';
  operator: '>' | '<';
  attributes: string;
}

const THRESHOLD_HINTS: Record<AlertKind, string> = {
  error_rate:
    'Percent of server spans with an error status (of error-level log records when there are no spans). Fires above it.',
  latency_p95: "Milliseconds: fires when the 95th percentile of server spans' durations is above it.",
  log_pattern: 'Fires when at least this many log records match in the window.',
  metric_threshold: "Compared with the metric's aggregate over the window.",
};

function draftOf(rule?: AlertRule): Draft {
  return {
    kind: rule?.kind ?? 'error_rate',
    name: rule?.name ?? '',
    windowMinutes: String(rule?.windowMinutes ?? 5),
    threshold: rule ? String(rule.threshold) : '',
    for: String(rule?.for ?? 1),
    enabled: rule?.enabled ?? true,
    pattern: rule?.kind === 'log_pattern' ? rule.pattern : '',
    match: rule?.kind === 'log_pattern' ? rule.match : 'words',
    metric: rule?.kind === 'metric_threshold' ? rule.metric : '',
    aggregation: rule?.kind === 'metric_threshold' ? rule.aggregation : 'avg',
    operator: rule?.kind === 'metric_threshold' ? rule.operator : '>',
    attributes:
      rule?.kind === 'metric_threshold'
        ? Object.entries(rule.attributes)
            .map(([k, v]) => `${k}=${v}`)
            .join(', ')
        : '',
  };
}

/** `a=1, b=two` → `{ a: '1', b: 'two' }` (the server says what is wrong with the rest). */
function parseAttributes(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of text.split(',')) {
    const [key, ...value] = part.split('=');
    if (key?.trim()) out[key.trim()] = value.join('=').trim();
  }
  return out;
}

function bodyOf(d: Draft): AlertRuleBody {
  const common = {
    name: d.name,
    windowMinutes: Number(d.windowMinutes),
    threshold: Number(d.threshold),
    for: Number(d.for),
    enabled: d.enabled,
  };
  switch (d.kind) {
    case 'error_rate':
    case 'latency_p95':
      return { kind: d.kind, ...common };
    case 'log_pattern':
      return { kind: d.kind, ...common, pattern: d.pattern, match: d.match };
    case 'metric_threshold':
      return {
        kind: d.kind,
        ...common,
        metric: d.metric,
        aggregation: d.aggregation,
        operator: d.operator,
        attributes: parseAttributes(d.attributes),
      };
  }
}

/** Creates a rule on the environment, or edits `rule`; the fields follow the kind. */
export function AlertRuleForm({
  slug,
  env,
  rule,
  onDone,
}: {
  slug: string;
  env: string;
  rule?: AlertRule;
  onDone: () => void;
}) {
  const [draft, setDraft] = useState(() => draftOf(rule));
  const save = useSaveAlertRule(slug, env);
  const ids = { kind: useId(), match: useId(), aggregation: useId(), operator: useId() };
  const errors = save.error instanceof ApiError ? save.error.fieldErrors() : {};
  const set = <K extends keyof Draft>(key: K, value: Draft[K]) => setDraft((d) => ({ ...d, [key]: value }));
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate({ id: rule?.id, body: bodyOf(draft) }, { onSuccess: onDone });
  };
  return (
    <form onSubmit={submit} className="space-y-4" aria-label={rule ? `Edit ${rule.name}` : 'New alert rule'}>
      <FormError error={save.error} />
      <div className="grid grid-cols-1 gap-4 sm:grid-cols-2">
        <FieldShell id={ids.kind} label="Kind" error={errors.kind}>
          <select
            id={ids.kind}
            className={selectClass}
            value={draft.kind}
            onChange={(e) => set('kind', e.target.value as AlertKind)}
          >
            {Object.entries(KIND_LABELS).map(([kind, label]) => (
              <option key={kind} value={kind}>
                {label}
              </option>
            ))}
          </select>
        </FieldShell>
        <TextField
          label="Name"
          required
          maxLength={100}
          value={draft.name}
          onChange={(e) => set('name', e.target.value)}
          error={errors.name}
        />
      </div>
      {draft.kind === 'log_pattern' && (
        <div className="grid grid-cols-1 gap-4 sm:grid-cols-2">
          <TextField
            label="Text to look for"
            required
            maxLength={200}
            value={draft.pattern}
            onChange={(e) => set('pattern', e.target.value)}
            error={errors.pattern}
          />
          <FieldShell id={ids.match} label="Match" error={errors.match}>
            <select
              id={ids.match}
              className={selectClass}
              value={draft.match}
              onChange={(e) => set('match', e.target.value as Draft['match'])}
            >
              <option value="words">these words, in order</option>
              <option value="substring">this text anywhere (any case)</option>
            </select>
          </FieldShell>
        </div>
      )}
      {draft.kind === 'metric_threshold' && (
        <div className="grid grid-cols-1 gap-4 sm:grid-cols-2">
          <TextField
            label="Metric name"
            required
            maxLength={200}
            value={draft.metric}
            onChange={(e) => set('metric', e.target.value)}
            error={errors.metric}
          />
          <TextField
            label="Only points with attributes"
            optional
            placeholder="queue=mail, region=eu"
            value={draft.attributes}
            onChange={(e) => set('attributes', e.target.value)}
            error={errors.attributes}
          />
          <FieldShell id={ids.aggregation} label="Aggregate" error={errors.aggregation}>
            <select
              id={ids.aggregation}
              className={selectClass}
              value={draft.aggregation}
              onChange={(e) => set('aggregation', e.target.value as Draft['aggregation'])}
            >
              <option value="avg">average</option>
              <option value="max">maximum</option>
              <option value="min">minimum</option>
              <option value="last">last value</option>
            </select>
          </FieldShell>
          <FieldShell id={ids.operator} label="Fires when" error={errors.operator}>
            <select
              id={ids.operator}
              className={selectClass}
              value={draft.operator}
              onChange={(e) => set('operator', e.target.value as Draft['operator'])}
            >
              <option value=">">above the threshold</option>
              <option value="<">below the threshold</option>
            </select>
          </FieldShell>
        </div>
      )}
      <div className="grid grid-cols-1 gap-4 sm:grid-cols-3">
        <TextField
          label="Threshold"
          required
          type="number"
          step="any"
          value={draft.threshold}
          onChange={(e) => set('threshold', e.target.value)}
          hint={THRESHOLD_HINTS[draft.kind]}
          error={errors.threshold}
        />
        <TextField
          label="Window (minutes)"
          required
          type="number"
          min={1}
          max={60}
          value={draft.windowMinutes}
          onChange={(e) => set('windowMinutes', e.target.value)}
          error={errors.windowMinutes}
        />
        <TextField
          label="For (evaluations)"
          required
          type="number"
          min={1}
          max={100}
          value={draft.for}
          onChange={(e) => set('for', e.target.value)}
          hint="How many evaluations in a row before it fires."
          error={errors.for}
        />
      </div>
      <label className="flex items-center gap-2 text-sm text-slate-800">
        <input type="checkbox" checked={draft.enabled} onChange={(e) => set('enabled', e.target.checked)} />
        Enabled
      </label>
      <div className="flex flex-wrap gap-2">
        <Button type="submit" busy={save.isPending}>
          {rule ? 'Save rule' : 'Create rule'}
        </Button>
        <Button variant="ghost" onClick={onDone}>
          Cancel
        </Button>
      </div>
    </form>
  );
}
