import { z } from 'zod';
import type { LlmCallContext, LlmGateway } from '../../llm/index.ts';
import { type Classification, SDLC_PATHS, SdlcKind } from './sdlc-kinds.ts';

/** A classification is a short call: the cheap, quick model alias. */
export const CLASSIFIER_ALIAS = 'fast';

const SYSTEM = `You classify a software request for Orchard, a software factory, into exactly one kind:
- "feature": a new capability the app does not have yet.
- "change": the app already does this and should do it differently (wording, layout, rules, defaults).
- "bugfix": something that should work does not (an error, a crash, wrong output, a regression).
- "chore": work users never see (dependencies, refactoring, CI, tests, docs, tooling).
A product that is about bugs (e.g. "a bug tracker") is a feature. Answer with JSON only:
{"kind": "...", "confidence": 0.0-1.0, "reason": "one sentence saying why"}`;

/** What the model must answer. */
export const ClassifierAnswer = z.object({
  kind: SdlcKind,
  confidence: z.number().min(0).max(1),
  reason: z.string().trim().min(1).max(500),
});

/**
 * The SDLC classifier with a model: structured output through the gateway (validated against the
 * answer's schema, re-asked once when it does not match; never accepted unchecked).
 */
export async function classifyWithLlm(
  llm: Pick<LlmGateway, 'generateObject'>,
  input: { request: string; signal?: AbortSignal; context?: LlmCallContext; now: Date },
): Promise<Classification> {
  const result = await llm.generateObject({
    alias: CLASSIFIER_ALIAS,
    system: SYSTEM,
    schema: ClassifierAnswer,
    messages: [{ role: 'user', content: `The request:\n\n${input.request.slice(0, 8000)}` }],
    maxRepairs: 1,
    signal: input.signal,
    context: input.context,
  });
  const answer = result.object;
  return {
    kind: answer.kind,
    confidence: Math.round(answer.confidence * 100) / 100,
    phases: [...SDLC_PATHS[answer.kind]],
    source: 'llm',
    reason: answer.reason,
    model: `${result.provider}/${result.model}`,
    at: input.now.toISOString(),
  };
}
