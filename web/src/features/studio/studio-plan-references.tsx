import { type FormEvent, useId, useRef, useState } from 'react';
import type { Blueprint, DesignReference } from '../../api/studio-types.ts';
import { ErrorAlert } from '../../widgets/alert.tsx';
import { Badge } from '../../widgets/badge.tsx';
import { Button } from '../../widgets/button.tsx';
import { Loading } from '../../widgets/spinner.tsx';
import { PlanEmpty, PlanSection } from './studio-plan-section.tsx';
import { useAddReference, useApplyReference, useReferences } from './studio-reference-queries.ts';

/**
 * Design references in the Plan: paste a page's address or upload a screenshot; each shows its
 * thumbnail and the design tokens proposed from it, with a button that applies them.
 */
export function PlanReferences({ blueprint, editable }: { blueprint: Blueprint; editable: boolean }) {
  const references = useReferences(blueprint.id);
  const add = useAddReference(blueprint.id);
  const apply = useApplyReference(blueprint);
  const [url, setUrl] = useState('');
  const file = useRef<HTMLInputElement>(null);
  const urlId = useId();
  const items = references.data?.items ?? [];

  function capture(event: FormEvent) {
    event.preventDefault();
    apply.reset();
    add.mutate({ url: url.trim() }, { onSuccess: () => setUrl('') });
  }

  return (
    <PlanSection title="Design references" count={items.length || undefined}>
      {editable && (
        <form onSubmit={capture} aria-label="Add a design reference" className="flex flex-wrap gap-2">
          <label htmlFor={urlId} className="sr-only">
            Address of a page whose design you like
          </label>
          <input
            id={urlId}
            type="url"
            required
            value={url}
            onChange={(e) => setUrl(e.target.value)}
            placeholder="https://a-site-you-like.example"
            className="h-8 min-w-0 flex-1 rounded-md border border-slate-300 px-2.5 text-sm outline-none focus:border-emerald-600 focus:ring-2 focus:ring-emerald-600/20"
          />
          <Button type="submit" size="sm" busy={add.isPending && add.variables && 'url' in add.variables}>
            Capture
          </Button>
          <Button
            size="sm"
            variant="secondary"
            busy={add.isPending && add.variables && 'file' in add.variables}
            onClick={() => file.current?.click()}
          >
            Upload an image
          </Button>
          <input
            ref={file}
            type="file"
            accept="image/png,image/jpeg,image/webp"
            aria-label="Design image (PNG, JPEG or WebP)"
            className="sr-only"
            tabIndex={-1}
            onChange={(e) => {
              const picked = e.target.files?.[0];
              e.target.value = '';
              apply.reset();
              if (picked) add.mutate({ file: picked });
            }}
          />
        </form>
      )}
      <div className="mt-2 space-y-2">
        {add.isError && <ErrorAlert error={add.error} title="The reference was not added" />}
        {apply.isError && <ErrorAlert error={apply.error} title="The tokens were not applied" />}
      </div>
      {references.isPending ? (
        <Loading label="Loading the references…" className="py-2" />
      ) : references.isError ? (
        <ErrorAlert error={references.error} />
      ) : items.length === 0 ? (
        <PlanEmpty>
          No references yet: paste a page's address or upload a screenshot, and its colours, fonts, text
          sizes, spacing and radii are proposed as design tokens.
        </PlanEmpty>
      ) : (
        <ul aria-label="Design references" className="mt-3 space-y-3">
          {items.map((reference) => (
            <ReferenceCard
              key={reference.id}
              reference={reference}
              editable={editable}
              applying={apply.isPending && apply.variables?.id === reference.id}
              onApply={() => apply.mutate(reference)}
            />
          ))}
        </ul>
      )}
    </PlanSection>
  );
}

function ReferenceCard({
  reference,
  editable,
  applying,
  onApply,
}: {
  reference: DesignReference;
  editable: boolean;
  applying: boolean;
  onApply: () => void;
}) {
  const { tokens } = reference.proposal;
  const name = reference.title ?? reference.url ?? 'Uploaded image';
  const others = [
    ['Fonts', tokens.fonts],
    ['Text sizes', tokens.fontSizes],
    ['Radii', tokens.radii],
    ['Spacing', tokens.spacing],
  ] as const;
  const proposesNothing = [tokens.colors, ...others.map(([, map]) => map)].every(
    (map) => Object.keys(map).length === 0,
  );
  return (
    <li className="flex flex-col gap-3 rounded-md border border-slate-200 p-2 sm:flex-row">
      <a href={reference.imageUrl} target="_blank" rel="noopener noreferrer" className="shrink-0 self-start">
        <img
          src={reference.thumbnailUrl}
          alt={`Thumbnail of ${name}`}
          width={160}
          height={120}
          loading="lazy"
          className="h-[120px] w-[160px] rounded bg-slate-100 object-cover object-top ring-1 ring-black/10"
        />
      </a>
      <div className="min-w-0 flex-1 space-y-1.5">
        <p className="truncate text-sm font-medium text-slate-800" title={name}>
          {name}
        </p>
        {reference.url && (
          <p className="truncate text-xs text-slate-500" title={reference.url}>
            {reference.url}
          </p>
        )}
        {Object.keys(tokens.colors).length > 0 && (
          <ul aria-label="Proposed colours" className="flex flex-wrap gap-1.5">
            {Object.entries(tokens.colors).map(([role, hex]) => (
              <li key={role} className="flex items-center gap-1" title={`${role}: ${hex}`}>
                <span
                  className="size-4 shrink-0 rounded ring-1 ring-black/10 ring-inset"
                  style={{ backgroundColor: hex }}
                  aria-hidden="true"
                />
                <span className="text-[11px] text-slate-600">
                  {role} <span className="font-mono">{hex}</span>
                </span>
              </li>
            ))}
          </ul>
        )}
        {others.map(([label, map]) =>
          Object.keys(map).length ? (
            <p key={label} className="text-xs text-slate-600">
              <span className="text-slate-500">{label}: </span>
              {Object.entries(map)
                .map(([token, value]) => `${token} ${label === 'Fonts' ? value.split(',')[0] : value}`)
                .join(' · ')}
            </p>
          ) : null,
        )}
        <div className="flex flex-wrap items-center gap-2 pt-1">
          {reference.appliedVersion !== null && (
            <Badge tone="green">Applied in v{reference.appliedVersion}</Badge>
          )}
          {editable && !proposesNothing && (
            <Button size="sm" variant="secondary" busy={applying} onClick={onApply}>
              {reference.appliedVersion !== null ? 'Apply again' : 'Apply these tokens'}
            </Button>
          )}
          {proposesNothing && <span className="text-xs text-slate-500">Nothing to propose from it.</span>}
        </div>
      </div>
    </li>
  );
}
