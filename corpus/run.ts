// npm run corpus [N] [--seed S] [--concurrency C] [--only c001,c017] [--url U --token T]
//
// Generates N varied Blueprints (default 200; see corpus-blueprints.ts for what they cover) and
// builds each through the whole loop offline on a fresh `orchard up` (embedded PostgreSQL, no LLM
// provider): scaffold, the app's own tests in its pipeline, the preview deployed and checked in
// Chromium, merged, staging released and checked. Prints each result as it ends, then the pass
// rate, the failures grouped by cause and the median time per build. Exits non-zero when any
// case failed. With --url and --token it drives an Orchard that is already running instead.
import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { type RunningOrchard, startOrchard as start } from '../e2e/support/start-orchard.ts';
import { buildCases, type OrchardClient, summarize } from './build-case.ts';
import { corpusBlueprints, requiredTraits } from './corpus-blueprints.ts';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    seed: { type: 'string', default: '1' },
    concurrency: { type: 'string', default: '2' },
    only: { type: 'string' },
    url: { type: 'string' },
    token: { type: 'string' },
    report: { type: 'string' },
  },
});
const N = Number(positionals[0] ?? 200);
if (!Number.isInteger(N) || N < 1) {
  console.error(`usage: npm run corpus [N] — N must be a whole number of cases, got "${positionals[0]}"`);
  process.exit(2);
}
const only = values.only ? new Set(values.only.split(',').map((s) => s.trim())) : undefined;
const cases = corpusBlueprints(N, Number(values.seed)).filter(
  (c) => !only || only.has(c.id) || only.has(c.id.slice(0, 4)),
);
const covered = new Set(cases.flatMap((c) => c.traits));
const uncovered = requiredTraits().filter((t) => !covered.has(t));
console.log(
  `corpus: ${cases.length} case(s), seed ${values.seed}, ${values.concurrency} at a time${uncovered.length ? `; not covered by this selection: ${uncovered.join(', ')}` : '; every trait covered'}`,
);

const TOKEN = values.token ?? 'orch_corpuscorpuscorpuscorpuscorpus01';
let running: RunningOrchard | undefined;
async function startOrchard(): Promise<string> {
  running = await start({
    databaseUrl: '',
    env: {
      DATABASE_URL: '',
      ORCHARD_BOOTSTRAP_TOKEN: TOKEN,
      ORCHARD_RATE_LIMIT_TOKEN_PER_MINUTE: '100000000',
    },
    startTimeoutMs: 120_000,
  });
  return running.url;
}

try {
  const orchard: OrchardClient = { base: values.url ?? (await startOrchard()), token: TOKEN };
  const t0 = performance.now();
  let ended = 0;
  const results = await buildCases(orchard, cases, {
    concurrency: Number(values.concurrency),
    onResult: (r, c) => {
      ended += 1;
      const what = `${c.entities} entit${c.entities === 1 ? 'y' : 'ies'}; ${c.traits.filter((t) => !t.startsWith('field:')).join(', ')}`;
      console.log(
        `[${ended}/${cases.length}] ${r.ok ? 'ok  ' : 'FAIL'} ${r.id} ${(r.ms / 1000).toFixed(1)} s (${what})${r.ok ? '' : `\n      ${r.step}: ${r.detail?.split('\n').slice(0, 6).join('\n      ')}`}`,
      );
    },
  });
  console.log(`\n${summarize(results)}\nwall time ${((performance.now() - t0) / 60_000).toFixed(1)} min`);
  if (values.report) {
    await writeFile(values.report, `${JSON.stringify({ seed: values.seed, results, cases }, null, 2)}\n`);
    console.log(`report written to ${values.report}`);
  }
  process.exitCode = results.every((r) => r.ok) ? 0 : 1;
} finally {
  await running?.stop();
}
