import { z } from 'zod';
import { TemplateId } from '../../blueprint/index.ts';
import { RequestedBy } from '../deps.ts';

/** `studio.build` input: which Blueprint, which feature row records it, and how far to go. */
export const BuildInput = z.object({
  blueprintId: z.uuid(),
  featureId: z.uuid(),
  requestedBy: RequestedBy,
  /** From a landing prompt: a first step lets the LLM Architect redraft the rule-based draft. */
  draft: z.object({ prompt: z.string().min(1).max(4000), template: TemplateId.optional() }).optional(),
  /** `test` stops after the pipeline (no deploy, no verify). */
  until: z.enum(['test', 'verify']).default('verify'),
  /**
   * Who writes the code: the scaffold when a template fits what was asked, else the llm-agent,
   * starting from the closest template (a change request always goes to the agent).
   */
  runtime: z.enum(['scaffold', 'llm-agent']).default('scaffold'),
  /** What was asked, in the requester's words: the agent's instructions. */
  request: z.string().max(100_000).optional(),
  /** A change to an app already built: the agent works from the default branch, no scaffold. */
  change: z.boolean().default(false),
  /** The merge request waits for a review: the build does not merge even a first build to main. */
  reviewFirst: z.boolean().default(false),
  /** How well the closest template fits the request (templateFit). */
  fit: z.object({ template: TemplateId, confidence: z.number(), reason: z.string() }).optional(),
});
export type BuildInput = z.infer<typeof BuildInput>;

/** The build's steps in order; `draft-blueprint` only for landing prompts. */
export function buildSteps(input: BuildInput) {
  const step = (key: string, dependsOn: string[]) => ({ key, step: `studio.${key}`, input, dependsOn });
  return [
    ...(input.draft ? [step('draft-blueprint', [])] : []),
    step('render-spec', input.draft ? ['draft-blueprint'] : []),
    step('plan', ['render-spec']),
    step('implement', ['plan', 'render-spec']),
    step('test', ['implement']),
    ...(input.until === 'verify'
      ? [
          step('deploy', ['test', 'implement']),
          step('verify', ['deploy', 'implement']),
          step('land', ['verify', 'implement']),
        ]
      : []),
  ];
}

export interface SpecOutput {
  version: number;
  feature: string;
  template: z.infer<typeof TemplateId>;
  specKey: string;
  specUrl: string;
}

export interface ImplementOutput {
  branch: string;
  sha: string;
  baseSha: string;
  changed: boolean;
  mergeRequestNumber: number;
  filesChanged: number;
  runtime: string;
  summary: string;
}

export interface DeployOutput {
  environment: string;
  releaseId: string;
  sha: string;
  url: string;
  port: number | null;
}
