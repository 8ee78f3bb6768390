import type { Classification, FeaturePhase, SdlcKind } from '../../api/board-types.ts';

export const PHASE_LABELS: Record<FeaturePhase, string> = {
  spec: 'Spec',
  plan: 'Plan',
  implement: 'Implement',
  test: 'Test',
  deploy: 'Deploy',
  verify: 'Verify',
  done: 'Done',
  failed: 'Failed',
  cancelled: 'Cancelled',
};

export const KIND_LABELS: Record<SdlcKind, string> = {
  feature: 'New feature',
  change: 'Change',
  bugfix: 'Bug fix',
  chore: 'Chore',
};

export const KINDS = Object.keys(KIND_LABELS) as SdlcKind[];

const SOURCE_LABELS: Record<Classification['source'], string> = {
  llm: 'LLM',
  rules: 'rules',
  person: 'person',
};

/** "LLM, 87 %" / "rules, 62 %" / "chosen by alice". */
export function classifiedBy(c: Classification): string {
  if (c.source === 'person') return `chosen by ${c.by ?? 'a person'}`;
  return `${SOURCE_LABELS[c.source]}, ${Math.round(c.confidence * 100)} %`;
}
