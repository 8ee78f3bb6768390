import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useId } from 'react';
import type { AgentRuntime, AgentSession, StartAgentSessionBody } from '../../api/agent-session-types.ts';
import { ApiError, api, seg } from '../../api/client.ts';
import { keys } from '../../api/query-keys.ts';
import { navigate } from '../../app/router.tsx';
import { ErrorAlert } from '../../widgets/alert.tsx';
import { Button } from '../../widgets/button.tsx';
import { selectClass, TextAreaField, TextField } from '../../widgets/field.tsx';
import { to } from '../projects/project-paths.ts';

const RUNTIMES: Array<{ value: AgentRuntime; label: string }> = [
  { value: 'llm-agent', label: 'Orchard agent (LLM)' },
  { value: 'claude-code', label: 'Claude Code' },
  { value: 'codex', label: 'Codex' },
  { value: 'gemini-cli', label: 'Gemini CLI' },
  { value: 'scaffold', label: 'Scaffold (no model)' },
];

const BUDGET = [
  { name: 'maxSteps', label: 'Max steps', step: '1', placeholder: '60' },
  { name: 'maxTokens', label: 'Max tokens', step: '1', placeholder: '2000000' },
  { name: 'maxCostUsd', label: 'Max cost (USD)', step: '0.01', placeholder: 'no limit' },
  { name: 'maxWallMinutes', label: 'Max minutes', step: '1', placeholder: '30' },
] as const;

function toBody(form: FormData): StartAgentSessionBody {
  const text = (name: string) => String(form.get(name) ?? '').trim();
  const budget: NonNullable<StartAgentSessionBody['budget']> = {};
  for (const { name } of BUDGET) {
    if (text(name) !== '') budget[name] = Number(text(name));
  }
  return {
    title: text('title'),
    instructions: text('instructions'),
    runtime: text('runtime') as AgentRuntime,
    ...(text('model') && { model: text('model') }),
    budget,
  };
}

/** Starts an agent session on a new `orchard/agent-<n>` branch, then opens its page. */
export function AgentSessionForm({ slug }: { slug: string }) {
  const client = useQueryClient();
  const runtimeId = useId();
  const start = useMutation({
    mutationFn: (body: StartAgentSessionBody) =>
      api.post<AgentSession>(`/api/projects/${seg(slug)}/agent-sessions`, body),
    onSuccess: (session) => {
      client.setQueryData(keys.agentSession(session.id), session);
      void client.invalidateQueries({ queryKey: keys.agentSessions(slug) });
      navigate(to.agentSession(slug, session.id));
    },
  });
  // The server's words always show: they say what to do (e.g. how to configure a provider).
  const errors = start.error instanceof ApiError ? start.error.fieldErrors() : {};

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    start.mutate(toBody(new FormData(event.currentTarget)));
  }

  return (
    <form onSubmit={submit} className="space-y-4" aria-label="New agent session">
      <ErrorAlert error={start.error} />
      <TextField
        label="Title"
        name="title"
        required
        maxLength={200}
        placeholder="Add CSV export"
        error={errors.title}
      />
      <TextAreaField
        label="Instructions"
        name="instructions"
        rows={5}
        maxLength={100_000}
        hint="What to change and how to know it is done. The agent works on its own branch."
        error={errors.instructions}
      />
      <div className="space-y-1.5">
        <label htmlFor={runtimeId} className="block text-sm font-medium text-slate-800">
          Runtime
        </label>
        <select id={runtimeId} name="runtime" defaultValue="llm-agent" className={selectClass}>
          {RUNTIMES.map((r) => (
            <option key={r.value} value={r.value}>
              {r.label}
            </option>
          ))}
        </select>
        {errors.runtime && <p className="text-xs font-medium text-red-700">{errors.runtime}</p>}
      </div>
      <TextField
        label="Model"
        name="model"
        optional
        maxLength={200}
        placeholder="coder"
        hint="An alias (coder) or provider/model."
        error={errors.model}
        autoComplete="off"
      />
      <fieldset>
        <legend className="text-sm font-medium text-slate-800">Budget</legend>
        <p className="text-xs text-slate-500">
          Empty fields keep the defaults; the session stops at any limit.
        </p>
        <div className="mt-2 grid grid-cols-2 gap-3">
          {BUDGET.map((b) => (
            <TextField
              key={b.name}
              label={b.label}
              name={b.name}
              type="number"
              min={0}
              step={b.step}
              inputMode="decimal"
              placeholder={b.placeholder}
              error={errors[`budget.${b.name}`]}
            />
          ))}
        </div>
      </fieldset>
      <Button type="submit" busy={start.isPending}>
        Start session
      </Button>
    </form>
  );
}
