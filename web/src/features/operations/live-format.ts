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
    'agent.session': 'Agent session',
  };
  if (known[kind]) return known[kind];
  const words = kind.replace(/[._-]+/g, ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

export { failureLines } from '../../../../src/modules/operations/failure-lines.ts';
