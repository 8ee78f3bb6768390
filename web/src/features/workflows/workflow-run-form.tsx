import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useId, useState } from 'react';
import { ApiError, api, seg } from '../../api/client.ts';
import { keys } from '../../api/query-keys.ts';
import type { Workflow, WorkflowInput, WorkflowRun } from '../../api/workflow-types.ts';
import { navigate } from '../../app/router.tsx';
import { ErrorAlert } from '../../widgets/alert.tsx';
import { Button } from '../../widgets/button.tsx';
import { controlClass, selectClass } from '../../widgets/field.tsx';
import { to } from '../projects/project-paths.ts';
import { BranchPicker, defaultBranch, useBranches } from '../repo/repo-branch-picker.tsx';

/** What a field's text means for an input of this type (a list: JSON, or comma-separated words). */
export function inputValue(input: WorkflowInput, text: string | boolean): unknown {
  if (input.type === 'boolean') return text === true;
  const raw = String(text).trim();
  if (input.type === 'number') return raw === '' ? undefined : Number(raw);
  if (input.type === 'list') {
    if (raw === '') return undefined;
    if (raw.startsWith('[')) {
      try {
        return JSON.parse(raw);
      } catch {
        return raw;
      }
    }
    return raw
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
  }
  return raw === '' ? undefined : raw;
}

const shown = (value: unknown) =>
  value === null || value === undefined ? '' : Array.isArray(value) ? value.join(', ') : String(value);

function InputField({
  input,
  value,
  error,
  onChange,
}: {
  input: WorkflowInput;
  value: string | boolean;
  error?: string;
  onChange: (value: string | boolean) => void;
}) {
  const id = useId();
  const hint = [input.description, input.type === 'list' ? 'comma-separated' : null]
    .filter(Boolean)
    .join(' · ');
  if (input.type === 'boolean')
    return (
      <label className="flex items-center gap-2 text-sm text-slate-800">
        <input type="checkbox" checked={value === true} onChange={(e) => onChange(e.target.checked)} />
        {input.name}
        {input.description && <span className="text-slate-500">— {input.description}</span>}
      </label>
    );
  return (
    <div className="space-y-1">
      <label htmlFor={id} className="block text-sm font-medium text-slate-800">
        {input.name}
        {!input.required && <span className="ml-1 font-normal text-slate-500">(optional)</span>}
      </label>
      {input.options ? (
        <select
          id={id}
          value={String(value)}
          onChange={(e) => onChange(e.target.value)}
          className={selectClass}
        >
          {!input.required && <option value="">(default)</option>}
          {input.options.map((o) => (
            <option key={o}>{o}</option>
          ))}
        </select>
      ) : (
        <input
          id={id}
          type={input.type === 'number' ? 'number' : 'text'}
          value={String(value)}
          placeholder={shown(input.default)}
          onChange={(e) => onChange(e.target.value)}
          aria-invalid={error ? true : undefined}
          className={controlClass(error)}
        />
      )}
      {error ? (
        <p className="text-xs font-medium text-red-700">{error}</p>
      ) : (
        hint && <p className="text-xs text-slate-500">{hint}</p>
      )}
    </div>
  );
}

/** Runs a workflow with its inputs on a ref; goes to the run's live page. */
export function WorkflowRunForm({ slug, workflow }: { slug: string; workflow: Workflow }) {
  const client = useQueryClient();
  const branches = useBranches(slug);
  const [ref, setRef] = useState<string | undefined>();
  const [values, setValues] = useState<Record<string, string | boolean>>(() =>
    Object.fromEntries(workflow.inputs.map((i) => [i.name, i.type === 'boolean' ? i.default === true : ''])),
  );
  const run = useMutation({
    mutationFn: (body: { ref: string; inputs: Record<string, unknown> }) =>
      api.post<WorkflowRun>(`/api/projects/${seg(slug)}/workflows/${seg(workflow.name)}/runs`, body),
    onSuccess: (created) => {
      void client.invalidateQueries({ queryKey: keys.workflowRuns(slug) });
      navigate(to.operation(created.id));
    },
  });
  const fieldErrors = run.error instanceof ApiError ? run.error.fieldErrors() : {};
  function submit(event: FormEvent) {
    event.preventDefault();
    const inputs: Record<string, unknown> = {};
    for (const input of workflow.inputs) {
      const value = inputValue(input, values[input.name] ?? '');
      if (value !== undefined) inputs[input.name] = value;
    }
    run.mutate({ ref: ref ?? defaultBranch(branches.data), inputs });
  }
  return (
    <form onSubmit={submit} aria-label={`Run ${workflow.name}`} className="space-y-3">
      {workflow.inputs.map((input) => (
        <InputField
          key={input.name}
          input={input}
          value={values[input.name] ?? ''}
          error={fieldErrors[`inputs.${input.name}`]}
          onChange={(v) => setValues((old) => ({ ...old, [input.name]: v }))}
        />
      ))}
      <div className="flex flex-wrap items-center gap-2">
        {branches.data?.length ? (
          <BranchPicker
            branches={branches.data}
            value={ref ?? defaultBranch(branches.data)}
            onChange={setRef}
            label="Ref the run acts on"
          />
        ) : null}
        <Button type="submit" busy={run.isPending}>
          Run
        </Button>
      </div>
      {run.isError && <ErrorAlert error={run.error} />}
    </form>
  );
}
