import type { Command } from 'commander';
import type { ApprovalView, WorkflowList, WorkflowRunView } from '../modules/workflows/index.ts';
import { exitCodeFor, watchOperation } from './ops-watch.ts';
import { addClientOptions, clientFor } from './orchard-client.ts';
import { CliError } from './run.ts';

type ClientFlags = { url?: string; token?: string };

/** `name=value` flags: the value as JSON when it is JSON (a list, a number, true), else as text. */
export function parseInputFlags(pairs: string[]): Record<string, unknown> {
  const inputs: Record<string, unknown> = {};
  for (const pair of pairs) {
    const at = pair.indexOf('=');
    if (at < 1)
      throw new CliError(`--input ${pair}: write name=value (a list as JSON: checks='["unit","lint"]').`);
    const raw = pair.slice(at + 1);
    try {
      inputs[pair.slice(0, at)] = JSON.parse(raw);
    } catch {
      inputs[pair.slice(0, at)] = raw;
    }
  }
  return inputs;
}

const collect = (value: string, previous: string[]) => [...previous, value];
const project = (slug: string) => `/api/projects/${encodeURIComponent(slug)}`;

export function registerWorkflow(program: Command) {
  const workflow = program
    .command('workflow')
    .description("a project's workflow files (.orchard/workflows/*.yml): list, run, approve");

  addClientOptions(
    workflow
      .command('list')
      .description('the workflow files on the default branch, and the problems of invalid ones by line')
      .requiredOption('--project <slug>', 'the project')
      .option('--json', 'print JSON'),
  ).action(async (opts: ClientFlags & { project: string; json?: boolean }, command: Command) => {
    const list = await clientFor(command, opts).request<WorkflowList>(
      'GET',
      `${project(opts.project)}/workflows`,
    );
    if (opts.json) {
      process.stdout.write(`${JSON.stringify(list.items, null, 2)}\n`);
      return;
    }
    if (!list.items.length) process.stdout.write('No workflow files on the default branch.\n');
    for (const w of list.items) {
      process.stdout.write(
        `${w.name.padEnd(24)}  ${w.valid ? `${w.steps.length} steps` : 'INVALID'}${w.schedules.length ? `  schedule ${w.schedules.join(', ')}` : ''}\n`,
      );
      for (const e of w.errors)
        process.stdout.write(
          `  ${e.file}:${e.line ?? '?'}:${e.column ?? 1}: ${e.field ? `${e.field}: ` : ''}${e.message}\n`,
        );
    }
  });

  addClientOptions(
    workflow
      .command('run <name>')
      .description('run a workflow file; with --watch, follow it (exit 0 if it succeeds, 1 if it fails)')
      .requiredOption('--project <slug>', 'the project')
      .option('--ref <ref>', 'what pipelines and deploys act on (default: main)')
      .option('--input <name=value>', 'an input (repeatable; JSON values are parsed)', collect, [])
      .option('--watch', 'follow the run until it ends'),
  ).action(
    async (
      name: string,
      opts: ClientFlags & { project: string; ref?: string; input: string[]; watch?: boolean },
      command: Command,
    ) => {
      const client = clientFor(command, opts);
      const run = await client.request<WorkflowRunView>(
        'POST',
        `${project(opts.project)}/workflows/${encodeURIComponent(name)}/runs`,
        {
          ...(opts.ref ? { ref: opts.ref } : {}),
          inputs: parseInputFlags(opts.input),
        },
      );
      process.stdout.write(`${run.id}\n`);
      if (!opts.watch) return;
      const view = await watchOperation(client, run.id, process.stdout);
      process.stdout.write(`Workflow run ${run.id} ${view.outcome}\n`);
      process.exitCode = exitCodeFor(view.status);
    },
  );

  addClientOptions(
    workflow
      .command('approvals')
      .description('pending approvals of workflow runs, and whether you may decide each')
      .requiredOption('--project <slug>', 'the project'),
  ).action(async (opts: ClientFlags & { project: string }, command: Command) => {
    const page = await clientFor(command, opts).request<{ items: ApprovalView[] }>(
      'GET',
      `${project(opts.project)}/workflow-approvals?status=pending`,
    );
    if (!page.items.length) process.stdout.write('No approval is pending.\n');
    for (const a of page.items)
      process.stdout.write(
        `${a.id}  ${a.workflow}/${a.step}  ${a.title}  (${a.role}${a.canDecide ? ', you may decide' : ''})\n`,
      );
  });

  for (const verb of ['approve', 'reject'] as const) {
    addClientOptions(
      workflow
        .command(`${verb} <approval>`)
        .description(`${verb} a pending approval step (a person with its role)`)
        .requiredOption('--project <slug>', 'the project')
        .option('--comment <text>', 'why', ''),
    ).action(
      async (id: string, opts: ClientFlags & { project: string; comment: string }, command: Command) => {
        const decided = await clientFor(command, opts).request<ApprovalView>(
          'POST',
          `${project(opts.project)}/workflow-approvals/${encodeURIComponent(id)}/${verb}`,
          { comment: opts.comment },
        );
        process.stdout.write(`Approval ${decided.id} is ${decided.status}.\n`);
      },
    );
  }
}
