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

/** Step keys as a person reads them; an unknown key is shown as its words. */
const STEP_LABELS: Record<string, string> = {
  'draft-blueprint': 'Draft the Blueprint',
  'render-spec': 'Write the spec',
  plan: 'Plan the work',
  implement: 'Write the code',
  test: 'Run the tests',
  deploy: 'Deploy',
  verify: 'Check in a browser',
  land: 'Merge to main',
  'verify/browser': 'Browser robot',
  'verify/report': 'Record the verdict',
  'prepare-release': 'Build the release',
  reply: 'Architect reply',
  run: 'Agent run',
  send: 'Send',
};

/** `render-spec` → "Write the spec"; `verify/browser` → "Browser robot". */
export function stepLabel(key: string): string {
  if (STEP_LABELS[key]) return STEP_LABELS[key];
  const last = key.split('/').at(-1) ?? key;
  const words = last.replace(/[._-]+/g, ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

export { failureLines } from '../../../../src/modules/operations/failure-lines.ts';
