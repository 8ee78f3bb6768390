import { type FormEvent, useEffect, useId, useRef, useState } from 'react';
import { memberName } from '../../../../src/modules/blueprint/naming.ts';
import type { BlueprintEntity, FieldType, JsonPatchOp } from '../../api/studio-types.ts';
import { FIELD_TYPES } from '../../api/studio-types.ts';
import { Badge } from '../../widgets/badge.tsx';
import { Button } from '../../widgets/button.tsx';
import { PlanEmpty, PlanSection } from './studio-plan-section.tsx';

type Apply = (patch: JsonPatchOp[]) => Promise<boolean>;
/** Applies a patch; resolves with what went wrong, in words, or undefined when it was saved. */
export type ApplyInline = (patch: JsonPatchOp[]) => Promise<string | undefined>;

/** Set by every generated app on every record. */
const RESERVED = new Set(['id', 'createdAt', 'updatedAt']);

const entityPath = (i: number) => `/sections/dataModel/entities/${i}`;

/** The data model: entities with their fields, each field removable and new ones addable. */
export function PlanDataModel({
  entities,
  editable,
  busy,
  apply,
  applyInline,
}: {
  entities: BlueprintEntity[];
  editable: boolean;
  busy: boolean;
  apply: Apply;
  applyInline: ApplyInline;
}) {
  return (
    <PlanSection title="Data model" count={entities.length}>
      {entities.length === 0 ? (
        <PlanEmpty>
          No entities yet. Ask the Architect: “add entity Photo with title:text!, url:url”.
        </PlanEmpty>
      ) : (
        <div className="space-y-3">
          {entities.map((entity, i) => (
            <EntityCard
              key={entity.name}
              entity={entity}
              index={i}
              editable={editable}
              busy={busy}
              apply={apply}
              applyInline={applyInline}
            />
          ))}
        </div>
      )}
    </PlanSection>
  );
}

function EntityCard({
  entity,
  index,
  editable,
  busy,
  apply,
  applyInline,
}: {
  entity: BlueprintEntity;
  index: number;
  editable: boolean;
  busy: boolean;
  apply: Apply;
  applyInline: ApplyInline;
}) {
  const [adding, setAdding] = useState(false);
  return (
    <article aria-label={`Entity ${entity.name}`} className="rounded-md border border-slate-200">
      <header className="flex items-center justify-between gap-2 border-b border-slate-100 bg-slate-50 px-3 py-2">
        <div className="min-w-0">
          <h4 className="font-mono text-sm font-semibold text-slate-900">{entity.name}</h4>
          {entity.description && <p className="truncate text-xs text-slate-500">{entity.description}</p>}
        </div>
        {editable && !adding && (
          <Button
            size="sm"
            variant="ghost"
            onClick={() => setAdding(true)}
            aria-label={`Add a field to ${entity.name}`}
          >
            + Field
          </Button>
        )}
      </header>
      <table className="w-full text-left text-sm">
        <caption className="sr-only">Fields of {entity.name}</caption>
        <tbody className="divide-y divide-slate-100">
          {entity.fields.map((field, f) => (
            <tr key={field.name}>
              <td className="px-3 py-1.5 font-mono text-xs text-slate-900">{field.name}</td>
              <td className="px-3 py-1.5 text-xs text-slate-600">
                {field.type}
                {field.enumValues?.length ? ` (${field.enumValues.join(', ')})` : ''}
              </td>
              <td className="px-3 py-1.5 text-right">
                <span className="inline-flex flex-wrap items-center justify-end gap-1.5">
                  {field.required && <Badge tone="blue">required</Badge>}
                  {field.unique && <Badge>unique</Badge>}
                  {editable && (
                    <button
                      type="button"
                      disabled={busy}
                      aria-label={`Remove field ${field.name} from ${entity.name}`}
                      onClick={() => apply([{ op: 'remove', path: `${entityPath(index)}/fields/${f}` }])}
                      className="rounded px-1 text-slate-400 hover:bg-red-50 hover:text-red-700 focus-visible:outline-2 focus-visible:outline-emerald-600 disabled:opacity-40"
                    >
                      ×
                    </button>
                  )}
                </span>
              </td>
            </tr>
          ))}
          {entity.fields.length === 0 && (
            <tr>
              <td className="px-3 py-2 text-xs text-slate-400 italic">No fields yet.</td>
            </tr>
          )}
        </tbody>
      </table>
      {entity.relations.length > 0 && (
        <p className="border-t border-slate-100 px-3 py-1.5 text-xs text-slate-600">
          {entity.relations.map((r) => `${r.kind} ${r.target} as ${r.name}`).join(' · ')}
        </p>
      )}
      {adding && (
        <AddFieldForm
          entity={entity}
          busy={busy}
          onCancel={() => setAdding(false)}
          onAdd={async (field) => {
            const problem = await applyInline([
              { op: 'add', path: `${entityPath(index)}/fields/-`, value: field },
            ]);
            if (!problem) setAdding(false);
            return problem;
          }}
        />
      )}
    </article>
  );
}

function AddFieldForm({
  entity,
  busy,
  onAdd,
  onCancel,
}: {
  entity: BlueprintEntity;
  busy: boolean;
  /** Resolves with what went wrong, in words, or undefined once the field is added. */
  onAdd: (field: { name: string; type: FieldType; required: boolean }) => Promise<string | undefined>;
  onCancel: () => void;
}) {
  const nameId = useId();
  const typeId = useId();
  const errorId = useId();
  const nameRef = useRef<HTMLInputElement>(null);
  const [error, setError] = useState<string>();
  // The form opens on request: typing goes straight into the name.
  useEffect(() => nameRef.current?.focus(), []);
  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const typed = String(form.get('name') ?? '').trim();
    // Named the way the chat names them: "birth year" → birthYear.
    const name = /[A-Za-z]/.test(typed) ? memberName(typed) : '';
    const problem = !name
      ? 'Name the field with words, e.g. “birth year” or “caption”.'
      : RESERVED.has(name)
        ? `“${name}” is kept by every record already; choose another name.`
        : entity.fields.some((f) => f.name === name)
          ? `${entity.name} already has a field named ${name}.`
          : await onAdd({
              name,
              type: String(form.get('type')) as FieldType,
              required: form.get('required') === 'on',
            });
    setError(problem);
    if (problem) nameRef.current?.focus();
  }
  const control =
    'h-8 rounded-md border border-slate-300 bg-white px-2 text-sm outline-none focus:border-emerald-600 focus:ring-2 focus:ring-emerald-600/20';
  return (
    <form
      onSubmit={submit}
      aria-label={`Add a field to ${entity.name}`}
      className="flex flex-wrap items-end gap-2 border-t border-slate-100 bg-slate-50/60 px-3 py-2.5"
    >
      <div className="flex flex-col gap-1">
        <label htmlFor={nameId} className="text-[11px] font-medium text-slate-600">
          Field name
        </label>
        <input
          ref={nameRef}
          id={nameId}
          name="name"
          required
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? errorId : undefined}
          onChange={() => setError(undefined)}
          placeholder="caption"
          className={`${control} w-32 font-mono`}
        />
      </div>
      <div className="flex flex-col gap-1">
        <label htmlFor={typeId} className="text-[11px] font-medium text-slate-600">
          Type
        </label>
        <select id={typeId} name="type" defaultValue="text" className={control}>
          {FIELD_TYPES.filter((t) => t !== 'enum').map((t) => (
            <option key={t} value={t}>
              {t}
            </option>
          ))}
        </select>
      </div>
      <label className="flex h-8 items-center gap-1.5 text-xs text-slate-700">
        <input type="checkbox" name="required" className="size-3.5 accent-emerald-700" />
        Required
      </label>
      <div className="ml-auto flex gap-1.5">
        <Button type="submit" size="sm" busy={busy}>
          Add field
        </Button>
        <Button size="sm" variant="ghost" onClick={onCancel}>
          Cancel
        </Button>
      </div>
      {error && (
        <p id={errorId} role="alert" className="w-full text-xs font-medium text-red-700">
          {error}
        </p>
      )}
    </form>
  );
}
