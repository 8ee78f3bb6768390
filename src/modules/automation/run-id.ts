import { randomBytes } from 'node:crypto';
import type { SmokeStep, SmokeSuite } from './smoke-suite.ts';

/** In a step's text or value: `{{run}}` an id of the robot's run, `{{origin}}` the app's origin. */
export const PLACEHOLDERS = { run: '{{run}}', origin: '{{origin}}' };

/** Six lowercase letters and digits, new for each verification. */
export function runId(): string {
  return randomBytes(6)
    .toString('base64url')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '0')
    .slice(0, 6);
}

/**
 * The suite with `{{run}}` and `{{origin}}` replaced in the texts a page sees (fill and select
 * values, expected text): a check that adds a record adds one of its own on every run and finds
 * that one, and a web address it enters can point at the app itself (the robot reaches nothing else).
 */
export function withRunId(suite: SmokeSuite, id: string, origin: string): SmokeSuite {
  const sub = (text: string) => text.replaceAll(PLACEHOLDERS.run, id).replaceAll(PLACEHOLDERS.origin, origin);
  const step = (s: SmokeStep): SmokeStep => {
    if ('fill' in s) return { ...s, value: sub(s.value) };
    if ('select' in s) return { ...s, value: sub(s.value) };
    if ('expectText' in s) return { ...s, expectText: sub(s.expectText) };
    return s;
  };
  return { ...suite, pages: suite.pages.map((p) => ({ ...p, steps: p.steps.map(step) })) };
}
