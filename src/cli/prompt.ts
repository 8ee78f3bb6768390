import type { Command } from 'commander';
import type { StepView } from '../modules/operations/index.ts';
import { exitCodeFor, watchOperation } from './ops-watch.ts';
import { addClientOptions, clientFor } from './orchard-client.ts';
import { CliError } from './run.ts';

type PromptFlags = { url?: string; token?: string; template?: string; project?: string; watch: boolean };

interface Started {
  operationId: string;
  projectSlug: string;
  blueprintId: string;
  branch: string;
}

/**
 * `orchard prompt "a recipe box where cooks rate recipes"`: the main loop from a terminal — POST /api/prompts,
 * then the build followed live like `orchard ops watch`, ending with the staging address.
 */
export function registerPrompt(program: Command) {
  addClientOptions(
    program
      .command('prompt <description...>')
      .description(
        'describe an app; Orchard drafts its Blueprint, builds, tests, deploys and checks it on staging (exits 0 when verified)',
      )
      .option('--template <id>', 'crud-app or landing-page (default: chosen from the description)')
      .option('--project <slug>', 'build into this existing project instead of a new one')
      .option('--no-watch', 'print the operation id and return at once'),
  ).action(async (words: string[], opts: PromptFlags, command: Command) => {
    const prompt = words.join(' ').trim();
    if (prompt.length < 3) throw new CliError('Describe what to build in a few words.');
    const client = clientFor(command, opts);
    const started = await client.request<Started>('POST', '/api/prompts', {
      prompt,
      ...(opts.template ? { template: opts.template } : {}),
      ...(opts.project ? { project: opts.project } : {}),
    });
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
    const deployed = detail.steps.find((s) => s.key === 'deploy' && s.status === 'succeeded');
    const url = (deployed?.output as { url?: unknown } | null)?.url;
    process.stdout.write(`Build ${view.outcome}\n${typeof url === 'string' ? `Staging: ${url}\n` : ''}`);
    process.exitCode = exitCodeFor(view.status);
  });
}
