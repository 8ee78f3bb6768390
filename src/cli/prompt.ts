import type { Command } from 'commander';
import type { StepView } from '../modules/operations/index.ts';
import { exitCodeFor, watchOperation } from './ops-watch.ts';
import { addClientOptions, clientFor } from './orchard-client.ts';
import { CliError } from './run.ts';

type PromptFlags = {
  url?: string;
  token?: string;
  template?: string;
  project?: string;
  reviewFirst?: boolean;
  kind?: string;
  watch: boolean;
};

interface Started {
  operationId: string;
  projectSlug: string;
  blueprintId: string;
  branch: string;
  route: 'blueprint' | 'change';
  classification: { kind: string; confidence: number; source: string; reason: string };
}

const KIND_WORDS: Record<string, string> = {
  feature: 'a new feature',
  change: 'a change',
  bugfix: 'a bug fix',
  chore: 'a chore',
};

/**
 * `orchard prompt "a recipe box where cooks rate recipes"`: the main loop from a terminal — POST /api/prompts,
 * then the build followed live like `orchard ops watch`, ending with the preview's address and, once
 * a first build is merged and released from main, staging's.
 */
export function registerPrompt(program: Command) {
  addClientOptions(
    program
      .command('prompt <description...>')
      .description(
        'describe an app; Orchard drafts its Blueprint, builds, tests, checks it on a preview, merges a first build to main and checks it on staging (exits 0 when verified)',
      )
      .option(
        '--template <id>',
        'crud-app, landing-page, api-service, dashboard or static-site (default: chosen from the description)',
      )
      .option('--project <slug>', 'build into this existing project instead of a new one')
      .option(
        '--kind <kind>',
        'feature, change, bugfix or chore (default: classified from the description); to a project whose app is built, all but feature change that app',
      )
      .option(
        '--review-first',
        'leave the merge request for a review instead of merging a first build to main',
      )
      .option('--no-watch', 'print the operation id and return at once'),
  ).action(async (words: string[], opts: PromptFlags, command: Command) => {
    const prompt = words.join(' ').trim();
    if (prompt.length < 3) throw new CliError('Describe what to build in a few words.');
    const client = clientFor(command, opts);
    const started = await client.request<Started>('POST', '/api/prompts', {
      prompt,
      ...(opts.template ? { template: opts.template } : {}),
      ...(opts.project ? { project: opts.project } : {}),
      ...(opts.reviewFirst ? { reviewFirst: true } : {}),
      ...(opts.kind ? { kind: opts.kind } : {}),
    });
    const c = started.classification;
    process.stdout.write(
      `${KIND_WORDS[c.kind] ?? c.kind} (${c.source === 'person' ? 'as you said' : `${c.source}, ${Math.round(c.confidence * 100)} %`}): ${c.reason}${started.route === 'change' ? ' — a change of the app the project has' : ''}\n`,
    );
    const studio = new URL(`/projects/${started.projectSlug}/blueprints/${started.blueprintId}`, client.url);
    process.stdout.write(
      `Building ${started.projectSlug} on ${started.branch} — operation ${started.operationId}\nStudio: ${studio}\n`,
    );
    if (!opts.watch) return;
    const view = await watchOperation(client, started.operationId, process.stdout);
    const detail = await client.request<{ steps: StepView[] }>(
      'GET',
      `/api/operations/${started.operationId}`,
    );
    const output = (key: string) =>
      detail.steps.find((s) => s.key === key && s.status === 'succeeded')?.output as Record<
        string,
        unknown
      > | null;
    const preview = output('deploy')?.url;
    const landed = output('land') as {
      staging?: { url?: unknown };
      waiting?: unknown;
      mergeRequestNumber?: unknown;
    } | null;
    const lines = [`Build ${view.outcome}`];
    if (typeof preview === 'string') lines.push(`Preview: ${preview}`);
    if (typeof landed?.staging?.url === 'string') lines.push(`Staging: ${landed.staging.url}`);
    else if (typeof landed?.waiting === 'string')
      lines.push(`Merge request !${landed.mergeRequestNumber} waits for a review: ${landed.waiting}.`);
    process.stdout.write(`${lines.join('\n')}\n`);
    process.exitCode = exitCodeFor(view.status);
  });
}
