import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useId } from 'react';
import { api, seg } from '../../api/client.ts';
import { keys } from '../../api/query-keys.ts';
import type { Blueprint, TemplateId } from '../../api/studio-types.ts';
import { Link, navigate } from '../../app/router.tsx';
import { ErrorAlert } from '../../widgets/alert.tsx';
import { Badge } from '../../widgets/badge.tsx';
import { Button } from '../../widgets/button.tsx';
import { Card } from '../../widgets/card.tsx';
import { selectClass } from '../../widgets/field.tsx';
import { formatRelative } from '../../widgets/format.ts';
import { Loading } from '../../widgets/spinner.tsx';
import { useBlueprints, useTemplates } from './studio-queries.ts';

const TONE = {
  draft: 'neutral',
  ready: 'green',
  building: 'blue',
  built: 'green',
  discarded: 'amber',
} as const;

/** On the project page: its Blueprints (each opens the Studio) and a new one. */
export function ProjectStudioCard({ slug, canCreate }: { slug: string; canCreate: boolean }) {
  const blueprints = useBlueprints(slug);
  return (
    <Card
      title="Studio"
      description="Blueprints of this project: plan them with the Architect, build, preview and publish."
      flush
    >
      {blueprints.isPending ? (
        <Loading label="Loading Blueprints…" className="px-5" />
      ) : blueprints.isError ? (
        <div className="p-5">
          <ErrorAlert error={blueprints.error} />
        </div>
      ) : blueprints.data.items.length === 0 ? (
        <p className="px-5 py-6 text-sm text-slate-500">No Blueprints yet.</p>
      ) : (
        <ul aria-label="Blueprints" className="divide-y divide-slate-100">
          {blueprints.data.items.map((bp) => (
            <BlueprintRow key={bp.id} slug={slug} blueprint={bp} />
          ))}
        </ul>
      )}
      {canCreate && (
        <div className="border-t border-slate-200 px-5 py-4">
          <NewBlueprintForm slug={slug} />
        </div>
      )}
    </Card>
  );
}

function BlueprintRow({ slug, blueprint }: { slug: string; blueprint: Blueprint }) {
  return (
    <li className="relative flex items-center gap-3 px-5 py-3 hover:bg-slate-50">
      <div className="min-w-0 flex-1">
        <Link
          to={`/projects/${encodeURIComponent(slug)}/blueprints/${encodeURIComponent(blueprint.id)}`}
          className="font-medium text-slate-900 after:absolute after:inset-0"
        >
          {blueprint.title || 'Untitled Blueprint'}
        </Link>
        <p className="text-xs text-slate-500">
          v{blueprint.version} · updated {formatRelative(blueprint.updatedAt)}
          {!blueprint.readiness.ready && ` · ${blueprint.readiness.unmet.length} unmet`}
        </p>
      </div>
      <Badge tone={TONE[blueprint.status]}>{blueprint.status}</Badge>
    </li>
  );
}

function NewBlueprintForm({ slug }: { slug: string }) {
  const client = useQueryClient();
  const templateId = useId();
  const templates = useTemplates();
  const create = useMutation({
    mutationFn: (body: { template?: TemplateId }) =>
      api.post<Blueprint>(`/api/projects/${seg(slug)}/blueprints`, body),
    onSuccess: (bp) => {
      client.invalidateQueries({ queryKey: keys.blueprints(slug) });
      navigate(`/projects/${encodeURIComponent(slug)}/blueprints/${encodeURIComponent(bp.id)}`);
    },
  });
  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const template = String(new FormData(event.currentTarget).get('template') ?? '');
    create.mutate(template ? { template: template as TemplateId } : {});
  }
  return (
    <form onSubmit={submit} aria-label="New Blueprint" className="flex flex-wrap items-end gap-3">
      <div className="min-w-48 flex-1 space-y-1.5">
        <label htmlFor={templateId} className="block text-sm font-medium text-slate-800">
          Start from
        </label>
        <select id={templateId} name="template" defaultValue="" className={selectClass}>
          <option value="">An empty Blueprint</option>
          {templates.data?.items.map((t) => (
            <option key={t.id} value={t.id}>
              {t.name}
            </option>
          ))}
        </select>
      </div>
      <Button type="submit" variant="secondary" busy={create.isPending}>
        New Blueprint
      </Button>
      {create.isError && (
        <div className="w-full">
          <ErrorAlert error={create.error} />
        </div>
      )}
    </form>
  );
}
