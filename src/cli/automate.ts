import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import YAML from 'yaml';
import { AutomationTaskBody } from '../modules/automation/index.ts';
import type { EventView } from '../modules/operations/index.ts';
import { exitCodeFor, watchOperation } from './ops-watch.ts';
import { addClientOptions, clientFor, type OrchardClient } from './orchard-client.ts';
import { parseInput } from './parse-input.ts';
import { CliError } from './run.ts';

type AutomateFlags = {
  url?: string;
  token?: string;
  project: string;
  start?: string;
  goal?: string;
  var: string[];
  secret: string[];
  maxCalls?: string;
  cache: boolean;
  trace?: string;
  watch: boolean;
  json?: boolean;
};

const collect = (value: string, list: string[]) => [...list, value];

/**
 * `orchard automate --project shop task.yml`: an automation task from a file (YAML or JSON: the
 * body of POST /api/projects/:slug/automation/tasks) or from flags (`--start`, `--goal`), followed
 * live; prints each step, the cache and planner figures, and what the task extracted.
 */
export function registerAutomate(program: Command) {
  addClientOptions(
    program
      .command('automate [file]')
      .description(
        'run a browser automation task (steps or a goal) on an environment of a project; exits 0 when it passed',
      )
      .requiredOption('--project <slug>', 'the project whose environment (or allowed host) the task visits')
      .option('--start <url>', 'where the task starts (overrides the file)')
      .option('--goal <text>', 'what to achieve; the planner picks each action (instead of steps)')
      .option('--var <name=value>', 'a variable for %name% (repeatable)', collect, [])
      .option('--secret <NAME>', 'a project secret the task may type as %NAME% (repeatable)', collect, [])
      .option('--max-calls <n>', "the task's budget of planner calls")
      .option('--no-cache', 'resolve every act with the planner, ignoring the action cache')
      .option('--trace <mode>', 'record a Playwright trace: on, retain-on-failure or off (the default)')
      .option('--json', 'print the result as JSON')
      .option('--no-watch', 'print the operation id and return at once'),
  ).action(async (file: string | undefined, opts: AutomateFlags, command: Command) => {
    let body: Record<string, unknown> = {};
    if (file) {
      const text = await readFile(file, 'utf8').catch((error: Error) => {
        throw new CliError(`Cannot read ${file}: ${error.message}`);
      });
      try {
        body = (YAML.parse(text) as Record<string, unknown>) ?? {};
      } catch (error) {
        throw new CliError(`${file} is not YAML or JSON: ${(error as Error).message}`);
      }
    }
    if (opts.start) body.startUrl = opts.start;
    if (opts.goal) {
      body.goal = opts.goal;
      delete body.steps;
    }
    const variables = { ...((body.variables as Record<string, string>) ?? {}) };
    for (const pair of opts.var) {
      const at = pair.indexOf('=');
      if (at < 1) throw new CliError(`--var ${pair}: write it as name=value`);
      variables[pair.slice(0, at)] = pair.slice(at + 1);
    }
    body.variables = variables;
    if (opts.secret.length)
      body.secrets = [...new Set([...((body.secrets as string[]) ?? []), ...opts.secret])];
    if (opts.maxCalls)
      body.budget = { ...((body.budget as object) ?? {}), modelCalls: Number(opts.maxCalls) };
    if (!opts.cache) body.useCache = false;
    if (opts.trace) body.trace = opts.trace;
    // Checked here with the API's own schema, so a mistake names the field before anything starts.
    parseInput(AutomationTaskBody, body, '');
    const client = clientFor(command, opts);
    const started = await client.request<{ operationId: string }>(
      'POST',
      `/api/projects/${encodeURIComponent(opts.project)}/automation/tasks`,
      body,
    );
    if (!opts.watch) {
      process.stdout.write(`${started.operationId}\n`);
      return;
    }
    if (!opts.json) process.stdout.write(`Task ${started.operationId}\n`);
    const view = await watchOperation(client, started.operationId, opts.json ? devNull() : process.stdout);
    const result = await taskResult(client, started.operationId);
    if (opts.json) process.stdout.write(`${JSON.stringify({ status: view.status, ...result }, null, 2)}\n`);
    else if (result) {
      const cache = result.cache as { hits: number; misses: number; heals: number };
      const planner = result.planner as { calls: number; costUsd: number };
      process.stdout.write(
        [
          `Task ${view.status}${result.stoppedBecause ? `: ${result.stoppedBecause}` : ''}`,
          `Cache: ${cache.hits} hit(s), ${cache.misses} miss(es), ${cache.heals} heal(s) · planner: ${planner.calls} call(s), $${planner.costUsd.toFixed(4)}`,
          ...(Object.keys(result.extracted as object).length
            ? [`Extracted: ${JSON.stringify(result.extracted, null, 2)}`]
            : []),
        ].join('\n') + '\n',
      );
    }
    process.exitCode = exitCodeFor(view.status);
  });
}

/** The task's `task-result` event: near the end, so the pages are read through. */
async function taskResult(client: OrchardClient, id: string) {
  let after = 0;
  let found: Record<string, unknown> | undefined;
  for (;;) {
    const page = await client.request<{ items: EventView[] }>(
      'GET',
      `/api/operations/${id}/events?after=${after}&limit=1000`,
    );
    for (const e of page.items) if (e.type === 'task-result') found = e.data as Record<string, unknown>;
    if (page.items.length < 1000) return found;
    after = Number(page.items.at(-1)!.id);
  }
}

function devNull(): NodeJS.WriteStream {
  return { write: () => true, isTTY: false } as unknown as NodeJS.WriteStream;
}
