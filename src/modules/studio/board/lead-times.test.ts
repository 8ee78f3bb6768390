import { describe, expect, it } from 'vitest';
import { newFeature, transition } from '../feature-machine.ts';
import { leadTimes } from './lead-times.ts';

const MIN = 60_000;
const t0 = new Date('2026-02-01T09:00:00Z');
const at = (minutes: number) => new Date(t0.getTime() + minutes * MIN);

function walk(moves: Array<[Parameters<typeof transition>[1], number | null]>) {
  let f = newFeature();
  for (const [to, minute] of moves) f = transition(f, to, minute === null ? {} : { at: at(minute) });
  return { created: t0, phase: f.phase, history: f.history };
}

describe('leadTimes: how long features stay in each phase', () => {
  it('measures each stay from the transition history, with median and mean across features', () => {
    const a = walk([
      ['plan', 10],
      ['implement', 15],
      ['test', 45],
      ['deploy', 50],
      ['verify', 52],
      ['done', 60],
    ]);
    const b = walk([
      ['plan', 30],
      ['implement', 31],
    ]);
    const { phases, total } = leadTimes([a, b]);
    const of = (p: string) => phases.find((x) => x.phase === p)!;
    expect(of('spec')).toEqual({
      phase: 'spec',
      count: 2,
      medianMs: 20 * MIN,
      meanMs: 20 * MIN,
      inProgress: 0,
    });
    expect(of('plan')).toMatchObject({ count: 2, medianMs: 3 * MIN, meanMs: 3 * MIN });
    expect(of('implement')).toMatchObject({ count: 1, medianMs: 30 * MIN, inProgress: 1 });
    expect(of('verify')).toMatchObject({ count: 1, medianMs: 8 * MIN });
    expect(total).toEqual({ count: 1, medianMs: 60 * MIN, meanMs: 60 * MIN });
  });

  it('adds up the stays of a phase gone through twice (rework), and skips stays without times', () => {
    const reworked = walk([
      ['plan', 1],
      ['implement', 2],
      ['test', 12],
      ['implement', 14],
      ['test', 24],
    ]);
    const untimed = walk([
      ['plan', null],
      ['implement', 5],
    ]);
    const { phases } = leadTimes([reworked, untimed]);
    const of = (p: string) => phases.find((x) => x.phase === p)!;
    expect(of('implement')).toMatchObject({ count: 1, medianMs: 20 * MIN, inProgress: 1 });
    expect(of('test')).toMatchObject({ count: 1, medianMs: 2 * MIN, inProgress: 1 });
    // The untimed move ends spec's stay uncounted and starts plan's stay at no known time.
    expect(of('spec')).toMatchObject({ count: 1, medianMs: 1 * MIN });
    expect(of('plan')).toMatchObject({ count: 1, medianMs: 1 * MIN });
  });

  it('says nothing it does not know: no features, no numbers', () => {
    const { phases, total } = leadTimes([]);
    expect(phases.every((p) => p.count === 0 && p.medianMs === null)).toBe(true);
    expect(total.medianMs).toBeNull();
  });
});
