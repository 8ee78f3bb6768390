import { type FeaturePhase, type FeatureTransition, FULL_PATH } from '../feature-machine.ts';

export interface LeadTime {
  /** Features that spent time in it and moved on. */
  count: number;
  medianMs: number | null;
  meanMs: number | null;
}

export interface PhaseLeadTime extends LeadTime {
  phase: FeaturePhase;
  /** Features in it now (their time there is not over, so not counted yet). */
  inProgress: number;
}

interface Walked {
  created: Date;
  phase: FeaturePhase;
  history: readonly FeatureTransition[];
}

function summary(values: number[]): LeadTime {
  if (!values.length) return { count: 0, medianMs: null, meanMs: null };
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const median = sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  return {
    count: values.length,
    medianMs: Math.round(median),
    meanMs: Math.round(values.reduce((a, b) => a + b, 0) / values.length),
  };
}

/**
 * How long features stay in each working phase, from their transition histories: a stay runs
 * from entering a phase (the feature's creation, for its first) to leaving it; a feature that went
 * through a phase twice (rework) counts the sum. Moves recorded without a time end the stay
 * uncounted. `total` is creation to done, for the features that are done.
 */
export function leadTimes(features: readonly Walked[]): { phases: PhaseLeadTime[]; total: LeadTime } {
  const working = FULL_PATH.filter((p) => p !== 'done');
  const stays = new Map<FeaturePhase, number[]>(working.map((p) => [p, []]));
  const inProgress = new Map<FeaturePhase, number>(working.map((p) => [p, 0]));
  const totals: number[] = [];
  for (const f of features) {
    const spent = new Map<FeaturePhase, number>();
    let entered: number | null = f.created.getTime();
    for (const move of f.history) {
      const left = move.at ? Date.parse(move.at) : null;
      if (entered !== null && left !== null && stays.has(move.from))
        spent.set(move.from, (spent.get(move.from) ?? 0) + Math.max(0, left - entered));
      entered = left;
      if (move.to === 'done' && left !== null) totals.push(Math.max(0, left - f.created.getTime()));
    }
    for (const [phase, ms] of spent) stays.get(phase)!.push(ms);
    if (inProgress.has(f.phase)) inProgress.set(f.phase, inProgress.get(f.phase)! + 1);
  }
  return {
    phases: working.map((phase) => ({
      phase,
      ...summary(stays.get(phase)!),
      inProgress: inProgress.get(phase)!,
    })),
    total: summary(totals),
  };
}
