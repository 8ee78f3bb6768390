import type { Command } from 'commander';
import type { OperationView } from '../modules/operations/index.ts';
import { exitCodeFor, watchOperation } from './ops-watch.ts';
import { addClientOptions, clientFor } from './orchard-client.ts';
import { CliError } from './run.ts';

type ClientFlags = { url?: string; token?: string };

export function registerOps(program: Command) {
  const ops = program
    .command('ops')
    .description('list, watch, cancel and retry operations of a running Orchard');

  addClientOptions(
    ops
      .command('list')
      .description('operations, newest first')
      .option('--project <slug>', 'only this project')
      .option('--status <status>', 'queued, running, succeeded, failed or cancelled')
      .option('--kind <kind>', 'only this kind')
      .option('--limit <n>', 'how many', '20')
      .option('--json', 'print JSON'),
  ).action(
    async (
      opts: ClientFlags & { project?: string; status?: string; kind?: string; limit: string; json?: boolean },
      command: Command,
    ) => {
      const client = clientFor(command, opts);
      const query = new URLSearchParams({ limit: opts.limit });
      for (const key of ['project', 'status', 'kind'] as const) if (opts[key]) query.set(key, opts[key]!);
      const page = await client.request<{ items: OperationView[] }>('GET', `/api/operations?${query}`);
      if (opts.json) {
        process.stdout.write(`${JSON.stringify(page.items, null, 2)}\n`);
        return;
      }
      if (!page.items.length) process.stdout.write('No operations.\n');
      for (const op of page.items) {
        process.stdout.write(
          `${op.id}  ${op.status.padEnd(9)}  ${op.kind.padEnd(24)}  ${op.createdAt}  ${op.actor.name}\n`,
        );
      }
    },
  );

  addClientOptions(
    ops
      .command('watch <id>')
      .description('follow an operation live; exits 0 if it succeeds, 1 if it fails, 2 if cancelled'),
  ).action(async (id: string, opts: ClientFlags, command: Command) => {
    const view = await watchOperation(clientFor(command, opts), id, process.stdout);
    process.stdout.write(`Operation ${id} ${view.outcome}\n`);
    process.exitCode = exitCodeFor(view.status);
  });

  for (const verb of ['cancel', 'retry'] as const) {
    addClientOptions(
      ops
        .command(`${verb} <id>`)
        .description(
          verb === 'cancel'
            ? 'cancel a queued or running operation'
            : 're-run what did not succeed in a failed or cancelled operation',
        ),
    ).action(async (id: string, opts: ClientFlags, command: Command) => {
      const op = await clientFor(command, opts).request<OperationView>(
        'POST',
        `/api/operations/${id}/${verb}`,
      );
      process.stdout.write(`Operation ${op.id} is ${op.status}.\n`);
    });
  }

  addClientOptions(
    ops
      .command('start <kind>')
      .description('start an operation of an API-startable kind (e.g. system.canary)')
      .option('--input <json>', 'the input as JSON', '{}')
      .option('--project <slug>', 'the project it belongs to')
      .option('--watch', 'follow it until it ends'),
  ).action(
    async (
      kind: string,
      opts: ClientFlags & { input: string; project?: string; watch?: boolean },
      command: Command,
    ) => {
      let input: unknown;
      try {
        input = JSON.parse(opts.input);
      } catch {
        throw new CliError('--input must be JSON, e.g. --input \'{"steps":3}\'.');
      }
      const client = clientFor(command, opts);
      const op = await client.request<OperationView>('POST', '/api/operations', {
        kind,
        input,
        project: opts.project,
      });
      process.stdout.write(`${op.id}\n`);
      if (!opts.watch) return;
      const view = await watchOperation(client, op.id, process.stdout);
      process.stdout.write(`Operation ${op.id} ${view.outcome}\n`);
      process.exitCode = exitCodeFor(view.status);
    },
  );
}
