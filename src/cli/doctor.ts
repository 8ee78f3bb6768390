import type { Command } from 'commander';
import { openDatabase } from '../app.ts';
import { type CheckResult, MACHINE_CHECKS, openCheckDatabase, runChecks } from '../modules/system/index.ts';
import { createLogger } from '../platform/log.ts';
import { configFor } from './load-config.ts';

const MARK: Record<CheckResult['status'], string> = { ok: '✔', warn: '⚠', fail: '✖' };

/** The report a person reads: one line per check, the fix indented under anything not ok. */
export function formatDoctorReport(results: CheckResult[], where: string): string {
  const width = Math.max(...results.map((r) => r.title.length));
  const lines = [`Orchard doctor (${where})`, ''];
  for (const r of results) {
    lines.push(`${MARK[r.status]} ${r.title.padEnd(width)}  ${r.summary}`);
    if (r.fix && r.status !== 'ok') lines.push(`  ${' '.repeat(width)}  fix: ${r.fix}`);
  }
  const fails = results.filter((r) => r.status === 'fail').length;
  const warns = results.filter((r) => r.status === 'warn').length;
  lines.push('');
  if (fails) {
    lines.push(
      `${fails} problem(s) (✖) and ${warns} warning(s) (⚠). Orchard cannot work until the ✖ items are fixed.`,
    );
  } else if (warns) {
    lines.push(`${warns} warning(s) (⚠): Orchard runs, but what they name will not work until fixed.`);
  } else {
    lines.push('Everything Orchard needs is here.');
  }
  return `${lines.join('\n')}\n`;
}

export function registerDoctor(program: Command) {
  program
    .command('doctor')
    .description(
      'check this machine for what Orchard needs (Node.js, Chromium, bubblewrap, slirp4netns, git, the port, disk, the database) and print what to fix; exits 1 when something required is missing',
    )
    .option('--json', 'print the results as JSON')
    .option('-p, --port <port>', 'HTTP port to check (ORCHARD_PORT, default 7300)')
    .option('--home <dir>', 'data directory (ORCHARD_HOME, default ./.orchard)')
    .action(async (opts: { json?: boolean; port?: string; home?: string }, command: Command) => {
      const config = configFor(command, { port: opts.port, home: opts.home });
      const logger = createLogger({ level: 'error' });
      const results = await runChecks(MACHINE_CHECKS, {
        config,
        database: () => openCheckDatabase(config, (c) => openDatabase(c, logger)),
      });
      const ok = !results.some((r) => r.status === 'fail');
      process.stdout.write(
        opts.json
          ? `${JSON.stringify({ ok, checks: results }, null, 2)}\n`
          : formatDoctorReport(results, `home ${config.home}, port ${config.port}`),
      );
      // A check past its time bound may still hold a handle open: the answer is out, so leave.
      process.exit(ok ? 0 : 1);
    });
}
