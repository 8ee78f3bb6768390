import type { OperationEvent } from './api-types.ts';

const time = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' });

/** "14:03:27": for log lines and activity entries. */
export function formatClock(iso: string): string {
  return time.format(new Date(iso));
}

/** `studio.build` → "Build", `deploy.release` → "Deploy release". */
export function operationLabel(kind: string): string {
  const known: Record<string, string> = {
    'studio.build': 'Build',
    'studio.prompt': 'Build from prompt',
    'studio.chat': 'Architect reply',
    'studio.architect-turn': 'Architect',
    'deploy.release': 'Deploy',
    'automation.verify': 'Verification',
  };
  if (known[kind]) return known[kind];
  const words = kind.replace(/[._-]+/g, ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/**
 * The operation log's lines for an `error` event: the step that failed, its attempt, whether it
 * will be retried, and the message, its later lines indented (`orchard ops watch` prints the same).
 */
export function failureLines(event: Pick<OperationEvent, 'step' | 'data' | 'at'>): string[] {
  const d = event.data ?? {};
  const [first = '', ...rest] = (typeof d.message === 'string' ? d.message : 'failed').split('\n');
  const attempt =
    typeof d.attempt === 'number' && typeof d.maxAttempts === 'number'
      ? ` (attempt ${d.attempt} of ${d.maxAttempts})`
      : '';
  const what = `${event.step ?? 'the operation'} failed${attempt}`;
  let head = `✗ ${what}: ${first}`;
  if (d.willRetry === true) {
    const inMs = typeof d.retryAt === 'string' ? Date.parse(d.retryAt) - Date.parse(event.at) : Number.NaN;
    const when = Number.isFinite(inMs) && inMs > 0 ? ` in ${(inMs / 1000).toFixed(1)} s` : '';
    head = `! ${what}, will retry${when}: ${first}`;
  }
  return [head, ...rest.map((line) => `    ${line}`)];
}
