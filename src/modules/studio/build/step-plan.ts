import { renderTemplate } from '../../agents/index.ts';
import type { Blueprint } from '../../blueprint/index.ts';
import type { StepContext } from '../../operations/index.ts';
import type { StudioDeps } from '../deps.ts';
import type { BuildInput, SpecOutput } from './build-input.ts';
import { enterPhase, loadBuild } from './build-step.ts';
import { storeTextArtifact } from './step-render-spec.ts';

/** The work a scaffold build does, grouped the way a reviewer reads it. */
function planMarkdown(doc: Blueprint, template: string, files: string[], branch: string): string {
  const group = (prefix: string) => files.filter((f) => f.startsWith(prefix));
  const lines = [
    `# Plan: ${doc.feature}`,
    '',
    `Runtime: scaffold (deterministic, offline). Template: ${template}. Branch: \`${branch}\`.`,
    '',
    '## Steps',
    '',
    `1. Scaffold ${files.length} files from the ${template} template.`,
    ...doc.sections.dataModel.entities.map(
      (e) => `   - ${e.name}: model, validation, REST endpoints and tests.`,
    ),
    ...doc.sections.pages.map((p) => `   - Page ${p.name} (${p.kind}${p.path ? `, ${p.path}` : ''}).`),
    '2. Commit on the branch, push, open or update the merge request into `main`.',
    '3. Test: the project pipeline (`.orchard/pipeline.yml`) on that commit.',
    '4. Deploy the commit to staging; 5. verify every page in a real browser.',
    '',
    '## Files',
    '',
    ...['models/', 'app/', 'lib/', 'public/', 'test/', '.orchard/'].map(
      (p) => `- \`${p}\`: ${group(p).length} files`,
    ),
  ];
  return `${lines.join('\n')}\n`;
}

/** `plan`: what the implementer will do, as a plan.md artifact. */
export async function planStep(deps: StudioDeps, ctx: StepContext<BuildInput>) {
  const feature = await enterPhase(deps, ctx, 'plan', 'Planning the work');
  const { blueprint } = await loadBuild(deps, ctx.input);
  const spec = ctx.deps['render-spec'] as SpecOutput;
  const files = [...renderTemplate(spec.template, blueprint.document).keys()].sort();
  const branch = feature.branch!;
  await storeTextArtifact(deps, ctx, {
    name: 'plan.md',
    kind: 'plan',
    text: planMarkdown(blueprint.document, spec.template, files, branch),
    contentType: 'text/markdown',
  });
  const fit = ctx.input.fit;
  if (fit)
    ctx.log(
      `Template match: ${fit.template}, confidence ${Math.round(fit.confidence * 100)} %. ${fit.reason}`,
    );
  const runtime = ctx.input.runtime;
  if (runtime === 'llm-agent')
    ctx.log(
      ctx.input.change
        ? `Plan: the llm-agent makes the change on ${branch}, from the default branch.`
        : `Plan: scaffold ${files.length} files from ${spec.template} onto ${branch} as a starting point; the llm-agent builds what was asked from there.`,
    );
  else ctx.log(`Plan: scaffold ${files.length} files from ${spec.template} onto ${branch}.`);
  await ctx.progress(1, `${files.length} files to write`);
  return { runtime, template: spec.template, branch, files: files.length, fit };
}
