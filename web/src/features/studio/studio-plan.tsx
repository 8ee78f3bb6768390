import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { ApiError } from '../../api/client.ts';
import { keys } from '../../api/query-keys.ts';
import type { Blueprint, JsonPatchOp, Snapshot } from '../../api/studio-types.ts';
import { Alert, ErrorAlert } from '../../widgets/alert.tsx';
import { Button } from '../../widgets/button.tsx';
import { patchMessage } from './patch-message.ts';
import { StudioHistory } from './studio-history.tsx';
import { InlineEdit } from './studio-inline-edit.tsx';
import { PlanDataModel } from './studio-plan-model.tsx';
import { PlanReferences } from './studio-plan-references.tsx';
import { PlanSection } from './studio-plan-section.tsx';
import {
  PlanAssumptions,
  PlanDesign,
  PlanEndpoints,
  PlanPages,
  PlanReadiness,
  PlanStories,
} from './studio-plan-sections.tsx';
import { usePatchBlueprint } from './studio-queries.ts';

type Tab = 'plan' | 'history';

/** The Blueprint, readable and directly editable (JSON Patch against the version on screen). */
export function StudioPlan({ blueprint, snapshots }: { blueprint: Blueprint; snapshots: Snapshot[] }) {
  const client = useQueryClient();
  const [tab, setTab] = useState<Tab>('plan');
  const patch = usePatchBlueprint(blueprint);
  const doc = blueprint.blueprint;
  const editable = blueprint.status !== 'building' && blueprint.status !== 'discarded';
  // A stale If-Match is one kind of 409 (a running build is another); only it is solved by reloading.
  const conflict =
    patch.error instanceof ApiError &&
    patch.error.status === 409 &&
    /changed since/i.test(patch.error.detail);

  async function apply(ops: JsonPatchOp[]): Promise<boolean> {
    try {
      await patch.mutateAsync(ops);
      return true;
    } catch {
      return false;
    }
  }

  /** For forms that show what went wrong beside their own fields (not at the top of the Plan). */
  async function applyInline(ops: JsonPatchOp[]): Promise<string | undefined> {
    try {
      await patch.mutateAsync(ops);
      return undefined;
    } catch (error) {
      // A stale version is the Plan's business (it offers to reload); anything else is the form's.
      if (error instanceof ApiError && error.status === 409) return error.detail;
      patch.reset();
      return patchMessage(error);
    }
  }

  function reload() {
    patch.reset();
    client.invalidateQueries({ queryKey: keys.blueprint(blueprint.id) });
    client.invalidateQueries({ queryKey: keys.snapshots(blueprint.id) });
  }

  return (
    <section aria-label="Plan" className="rounded-lg border border-slate-200 bg-white shadow-xs">
      <header className="flex items-center justify-between gap-3 border-b border-slate-200 px-5 py-2">
        <h2 className="text-sm font-semibold text-slate-900">Plan</h2>
        <div role="tablist" aria-label="Plan views" className="flex gap-1">
          {(['plan', 'history'] as const).map((t) => (
            <button
              key={t}
              type="button"
              role="tab"
              aria-selected={tab === t}
              onClick={() => setTab(t)}
              className="rounded-md px-2.5 py-1 text-sm font-medium text-slate-600 hover:bg-slate-100 aria-selected:bg-emerald-50 aria-selected:text-emerald-800"
            >
              {t === 'plan' ? 'Blueprint' : `History (${snapshots.length})`}
            </button>
          ))}
        </div>
      </header>

      {tab === 'history' ? (
        <StudioHistory blueprintId={blueprint.id} snapshots={snapshots} />
      ) : (
        <div role="tabpanel" aria-label="Blueprint">
          {(conflict || (patch.isError && !conflict) || !editable) && (
            <div className="space-y-2 px-5 pt-4">
              {conflict && (
                <Alert tone="warning" title="The Blueprint changed since you loaded it">
                  <p>{(patch.error as ApiError).detail}</p>
                  <Button size="sm" variant="secondary" className="mt-2" onClick={reload}>
                    Load the latest version
                  </Button>
                </Alert>
              )}
              {patch.isError && !conflict && <ErrorAlert error={patch.error} />}
              {!editable && (
                <Alert tone="info">
                  {blueprint.status === 'building'
                    ? 'A build is running: the Blueprint is read-only until it ends.'
                    : 'This Blueprint was discarded; it is read-only.'}
                </Alert>
              )}
            </div>
          )}
          <div className="px-5 pt-4 pb-2">
            <PlanReadiness ready={blueprint.readiness.ready} unmet={blueprint.readiness.unmet} />
          </div>
          <PlanSection title="Feature">
            <InlineEdit
              label="Feature"
              value={doc.feature}
              maxLength={80}
              disabled={!editable}
              busy={patch.isPending}
              placeholder="Not named yet"
              onSave={(value) => apply([{ op: 'replace', path: '/feature', value }])}
            >
              {doc.feature ? (
                <p className="text-lg font-semibold text-slate-900" data-testid="plan-feature">
                  {doc.feature}
                </p>
              ) : undefined}
            </InlineEdit>
          </PlanSection>
          <PlanSection title="Summary">
            <InlineEdit
              label="Summary"
              value={doc.summary}
              multiline
              maxLength={2000}
              disabled={!editable}
              busy={patch.isPending}
              placeholder="No summary yet"
              onSave={(value) => apply([{ op: 'replace', path: '/summary', value }])}
            >
              {doc.summary ? (
                <p className="text-sm whitespace-pre-line text-slate-700" data-testid="plan-summary">
                  {doc.summary}
                </p>
              ) : undefined}
            </InlineEdit>
          </PlanSection>
          <PlanDataModel
            entities={doc.sections.dataModel.entities}
            editable={editable}
            busy={patch.isPending}
            apply={apply}
            applyInline={applyInline}
          />
          <PlanEndpoints endpoints={doc.sections.apiEndpoints} />
          <PlanPages doc={doc} />
          <PlanStories doc={doc} />
          <PlanDesign tokens={doc.sections.designSystem.tokens} />
          <PlanReferences blueprint={blueprint} editable={editable} />
          <PlanAssumptions doc={doc} />
        </div>
      )}
    </section>
  );
}
