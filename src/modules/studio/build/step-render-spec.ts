import { renderSpec } from '../../agents/index.ts';
import { templateOf } from '../../blueprint/index.ts';
import type { StepContext } from '../../operations/index.ts';
import type { StudioDeps } from '../deps.ts';
import { updateFeature } from '../feature-store.ts';
import type { BuildInput, SpecOutput } from './build-input.ts';
import { enterPhase, loadBuild } from './build-step.ts';

/** Where an artifact of a build step lives; `/api/artifacts/<key>` serves it to the operation's viewers. */
export function artifactKey(ctx: StepContext<unknown>, name: string): string {
  return `operations/${ctx.operationId}/${ctx.stepKey}/${name}`;
}

/** Stores a text artifact of the step and announces it with an `artifact` event. */
export async function storeTextArtifact(
  deps: StudioDeps,
  ctx: StepContext<unknown>,
  artifact: { name: string; kind: string; text: string; contentType: string },
): Promise<{ key: string; url: string }> {
  const key = artifactKey(ctx, artifact.name);
  const { size } = await deps.blobs.put(key, Buffer.from(artifact.text));
  const url = `/api/artifacts/${key}`;
  await ctx.emit({
    type: 'artifact',
    kind: artifact.kind,
    name: artifact.name,
    blobId: key,
    url,
    contentType: artifact.contentType,
    size,
  });
  return { key, url };
}

/** `render-spec`: Blueprint → spec.md, stored as an artifact and on the feature. */
export async function renderSpecStep(deps: StudioDeps, ctx: StepContext<BuildInput>): Promise<SpecOutput> {
  await enterPhase(deps, ctx, 'spec', 'Writing the spec');
  const { blueprint } = await loadBuild(deps, ctx.input);
  const doc = blueprint.document;
  const spec = renderSpec(doc);
  await updateFeature(deps.db, ctx.input.featureId, { spec, blueprintVersion: blueprint.version });
  const stored = await storeTextArtifact(deps, ctx, {
    name: 'spec.md',
    kind: 'spec',
    text: spec,
    contentType: 'text/markdown',
  });
  const { entities } = doc.sections.dataModel;
  ctx.log(
    `Spec of “${doc.feature}” from Blueprint v${blueprint.version}: ${entities.length} entities, ` +
      `${doc.sections.apiEndpoints.length} endpoints, ${doc.sections.pages.length} pages, ${doc.assumptions.length} assumptions.`,
  );
  await ctx.progress(1, 'Spec written');
  return {
    version: blueprint.version,
    feature: doc.feature,
    template: templateOf(doc),
    specKey: stored.key,
    specUrl: stored.url,
  };
}
