import { useState } from 'react';
import type { AlertRule } from '../../api/alert-types.ts';
import { ErrorAlert } from '../../widgets/alert.tsx';
import { Badge } from '../../widgets/badge.tsx';
import { Button } from '../../widgets/button.tsx';
import { ConfirmButton } from '../../widgets/confirm-button.tsx';
import { TimeAgo } from '../../widgets/time-ago.tsx';
import { describeCondition, formatAlertValue, KIND_LABELS, STATE_TONES } from './alert-format.ts';
import { AlertHistory } from './alert-history.tsx';
import { useDeleteAlertRule, useSilenceAlertRule } from './alert-queries.ts';
import { AlertRuleForm } from './alert-rule-form.tsx';
import { AlertSilence, silenceLabel } from './alert-silence.tsx';

/** An environment's rules: state, last value, last evaluation, history; maintainers edit them. */
export function AlertRuleList({
  slug,
  env,
  rules,
  canEdit,
}: {
  slug: string;
  env: string;
  rules: AlertRule[];
  canEdit: boolean;
}) {
  const [editing, setEditing] = useState<string | null>(null);
  const [historyOf, setHistoryOf] = useState<string | null>(null);
  const remove = useDeleteAlertRule(slug, env);
  const silence = useSilenceAlertRule(slug, env);
  if (!rules.length)
    return (
      <p className="px-5 py-10 text-center text-sm text-slate-500">
        No alert rules yet.{canEdit ? ' Add one to hear when this environment misbehaves.' : ''}
      </p>
    );
  return (
    <>
      {(remove.error || silence.error) && (
        <div className="px-5 pt-4">
          <ErrorAlert error={remove.error ?? silence.error} />
        </div>
      )}
      <ul aria-label="Alert rules" className="divide-y divide-slate-100">
        {rules.map((rule) => {
          const silenced = silenceLabel(rule);
          return (
            <li key={rule.id} data-rule={rule.name} className="px-5 py-4">
              {editing === rule.id ? (
                <AlertRuleForm slug={slug} env={env} rule={rule} onDone={() => setEditing(null)} />
              ) : (
                <>
                  <div className="flex flex-wrap items-start justify-between gap-3">
                    <div className="min-w-0">
                      <div className="flex flex-wrap items-center gap-2">
                        <h3 className="min-w-0 font-semibold [overflow-wrap:anywhere] text-slate-900">
                          {rule.name}
                        </h3>
                        <Badge tone={STATE_TONES[rule.state]}>{rule.state}</Badge>
                        {!rule.enabled && <Badge>disabled</Badge>}
                        {silenced && <Badge tone="amber">silenced</Badge>}
                      </div>
                      <p className="mt-1 text-sm [overflow-wrap:anywhere] text-slate-600">
                        <span className="text-slate-500">{KIND_LABELS[rule.kind]}: </span>
                        {describeCondition(rule)}
                      </p>
                      <div className="mt-1.5 flex flex-wrap items-center gap-x-3 gap-y-1 text-xs text-slate-500">
                        <span>
                          last value{' '}
                          <span data-testid="last-value" className="font-medium text-slate-800">
                            {rule.lastEvaluatedAt ? formatAlertValue(rule.kind, rule.lastValue) : '—'}
                          </span>
                        </span>
                        {rule.lastEvaluatedAt ? (
                          <TimeAgo iso={rule.lastEvaluatedAt} prefix="evaluated" />
                        ) : (
                          <span>not evaluated yet</span>
                        )}
                        <TimeAgo iso={rule.stateSince} prefix={`${rule.state} since`} />
                        {silenced && <span>{silenced}</span>}
                      </div>
                      {rule.lastError && <p className="mt-1.5 text-xs text-red-700">{rule.lastError}</p>}
                    </div>
                    <div className="flex flex-wrap items-center gap-1.5">
                      <Button
                        size="sm"
                        variant={historyOf === rule.id ? 'secondary' : 'ghost'}
                        aria-pressed={historyOf === rule.id}
                        onClick={() => setHistoryOf(historyOf === rule.id ? null : rule.id)}
                      >
                        History
                      </Button>
                      {canEdit && (
                        <>
                          <Button size="sm" variant="ghost" onClick={() => setEditing(rule.id)}>
                            Edit
                          </Button>
                          <AlertSilence rule={rule} silence={silence} />
                          <ConfirmButton
                            size="sm"
                            variant="ghost"
                            aria-label={`Delete ${rule.name}`}
                            question="Delete this rule?"
                            confirmLabel="Delete"
                            busy={remove.isPending && remove.variables === rule.id}
                            onConfirm={() => remove.mutate(rule.id)}
                          >
                            Delete
                          </ConfirmButton>
                        </>
                      )}
                    </div>
                  </div>
                  {historyOf === rule.id && (
                    <div className="mt-3 rounded-md bg-slate-50 p-3">
                      <AlertHistory slug={slug} id={rule.id} kind={rule.kind} />
                    </div>
                  )}
                </>
              )}
            </li>
          );
        })}
      </ul>
    </>
  );
}
