/**
 * What kind of work a request is, and so which SDLC phases it needs:
 * - feature (a new feature): every phase — spec → plan → implement → test → deploy → verify → done.
 * - change (to what an app already does): spec → implement → … — the spec is amended to say what
 *   the app must now do; there is no plan of a new Blueprint.
 * - bugfix: implement → test → deploy → verify → done — the spec is right and the code is wrong: no
 *   spec and no plan; the work starts at implement, on a branch, with a regression test that fails
 *   without the fix.
 * - chore (dependencies, refactoring, tooling, docs): plan → implement → … — nothing a user sees
 *   changes, so no spec; the plan says what is touched, and test, deploy and verify prove nothing broke.
 */
import { z } from 'zod';
import { FEATURE_PHASES, type FeaturePhase } from '../feature-machine.ts';

export const SDLC_KINDS = ['feature', 'change', 'bugfix', 'chore'] as const;
export const SdlcKind = z.enum(SDLC_KINDS);
export type SdlcKind = z.infer<typeof SdlcKind>;

export const SDLC_PATHS: Readonly<Record<SdlcKind, readonly FeaturePhase[]>> = {
  feature: ['spec', 'plan', 'implement', 'test', 'deploy', 'verify', 'done'],
  change: ['spec', 'implement', 'test', 'deploy', 'verify', 'done'],
  bugfix: ['implement', 'test', 'deploy', 'verify', 'done'],
  chore: ['plan', 'implement', 'test', 'deploy', 'verify', 'done'],
};

export const KIND_LABELS: Readonly<Record<SdlcKind, string>> = {
  feature: 'new feature',
  change: 'change',
  bugfix: 'bug fix',
  chore: 'chore',
};

/** Who decided: the LLM, the rules, or a person (who overrides either). */
export const ClassificationSource = z.enum(['llm', 'rules', 'person']);

/** A request's kind, how sure the classifier is, and why; stored on the feature or the issue. */
export const Classification = z.object({
  kind: SdlcKind,
  /** 0..1; a person's choice is 1. */
  confidence: z.number().min(0).max(1),
  /** The phases the kind needs, in order, ending in done. */
  phases: z.array(z.enum(FEATURE_PHASES)),
  source: ClassificationSource,
  reason: z.string().max(1000),
  /** `provider/model` that answered (LLM mode). */
  model: z.string().optional(),
  /** Why the LLM was not used although one is configured (its failure): the rules answered. */
  fallback: z.string().max(500).optional(),
  /** The person who chose the kind (source `person`). */
  by: z.string().optional(),
  /** What the classifier had said before a person overrode it. */
  previous: z.object({ kind: SdlcKind, confidence: z.number(), source: ClassificationSource }).optional(),
  at: z.string(),
});
export type Classification = z.infer<typeof Classification>;

/**
 * A person's choice of kind: certain, and said by whom. Overriding an earlier classification keeps
 * what the classifier had said (through any number of overrides) in `previous`.
 */
export function personClassification(
  kind: SdlcKind,
  by: string,
  at: Date,
  options: { reason?: string; earlier?: Classification | null } = {},
): Classification {
  const earlier = options.earlier;
  const previous = earlier?.source === 'person' ? earlier.previous : earlier;
  return {
    kind,
    confidence: 1,
    phases: [...SDLC_PATHS[kind]],
    source: 'person',
    reason: options.reason?.trim() || `${by} classified it as a ${KIND_LABELS[kind]}.`,
    by,
    ...(previous
      ? { previous: { kind: previous.kind, confidence: previous.confidence, source: previous.source } }
      : {}),
    at: at.toISOString(),
  };
}
