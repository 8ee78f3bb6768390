import { type FormEvent, useEffect, useId, useRef, useState } from 'react';
import type { BlueprintEntity, FieldType, JsonPatchOp } from '../../api/studio-types.ts';
import { FIELD_TYPES } from '../../api/studio-types.ts';
import { Badge } from '../../widgets/badge.tsx';
import { Button } from '../../widgets/button.tsx';
import { PlanEmpty, PlanSection } from './studio-plan-section.tsx';

type Apply = (patch: JsonPatchOp[]) => Promise<boolean>;

const entityPath = (i: number) => `/sections/dataModel/entities/${i}`;

/** The data model: entities with their fields, each field removable and new ones addable. */
export function PlanDataModel({
  entities,
  editable,
  busy,
  apply,
}: {
  entities: BlueprintEntity[];
  editable: boolean;
  busy: boolean;
  apply: Apply;
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
}: {
  entity: BlueprintEntity;
  index: number;
  editable: boolean;
  busy: boolean;
  apply: Apply;
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
                <span className="inline-flex items-center gap-1.5">
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
          entity={entity.name}
          busy={busy}
          onCancel={() => setAdding(false)}
          onAdd={async (field) => {
            const ok = await apply([{ op: 'add', path: `${entityPath(index)}/fields/-`, value: field }]);
            if (ok) setAdding(false);
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
  entity: string;
  busy: boolean;
  onAdd: (field: { name: string; type: FieldType; required: boolean }) => void;
  onCancel: () => void;
}) {
  const nameId = useId();
  const typeId = useId();
  const nameRef = useRef<HTMLInputElement>(null);
  // The form opens on request: typing goes straight into the name.
  useEffect(() => nameRef.current?.focus(), []);
  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    onAdd({
      name: String(form.get('name') ?? '').trim(),
      type: String(form.get('type')) as FieldType,
      required: form.get('required') === 'on',
    });
  }
  const control =
    'h-8 rounded-md border border-slate-300 bg-white px-2 text-sm outline-none focus:border-emerald-600 focus:ring-2 focus:ring-emerald-600/20';
  return (
    <form
      onSubmit={submit}
      aria-label={`Add a field to ${entity}`}
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
    </form>
  );
}
