import type { Command } from 'commander';
import { z } from 'zod';
import { sealedStores } from '../app.ts';
import {
  installNewMasterKey,
  type KeyUse,
  masterKeyStatus,
  type RotationReport,
  retireMasterKey,
  rotateMasterKey,
} from '../modules/secrets/index.ts';
import { SYSTEM_ACTOR } from '../platform/http/actor.ts';
import { configFor } from './load-config.ts';
import { parseInput } from './parse-input.ts';
import { CliError } from './run.ts';
import { withDatabase } from './with-database.ts';

const RotateFlags = z.object({
  batchSize: z.coerce.number().int().min(1).max(10_000).default(100),
  dryRun: z.boolean().default(false),
  newKey: z.boolean().default(false),
  home: z.string().optional(),
});

const DOCS = 'docs/git-and-pipelines.md, "Master key and rotation"';
const system = { actor: SYSTEM_ACTOR };

export function registerSecrets(program: Command) {
  const secrets = program.command('secrets').description('the master key that seals every stored secret');
  secrets
    .command('rotate-key')
    .description('re-seal every stored secret under the current master key (online, resumable)')
    .option('--new-key', 'one machine: first make a new <home>/master.key (the old one stays readable)')
    .option('--batch-size <n>', 'values per transaction', '100')
    .option('--dry-run', 'count what would be re-sealed, change nothing')
    .option('--home <dir>', 'data directory (ORCHARD_HOME)')
    .action(async (opts: Record<string, unknown>, command: Command) => {
      const input = parseInput(RotateFlags, opts);
      const config = configFor(command, { home: input.home });
      if (input.newKey) {
        if (config.masterKey)
          throw new CliError(
            `ORCHARD_MASTER_KEY is set, so the master key comes from the configuration: introduce the new key on every server first (${DOCS}).`,
          );
        if (input.dryRun) throw new CliError('--new-key and --dry-run do not go together.');
        const { previous, current } = await installNewMasterKey(config.home);
        process.stderr.write(
          `New master key ${current.id} in ${current.source}; the old key ${previous.id} stays readable in ${previous.source}.\n`,
        );
      }
      await withDatabase(command, { home: input.home }, async (res) => {
        const report = await rotateMasterKey(res.db, res.vault, sealedStores, system, {
          batchSize: input.batchSize,
          dryRun: input.dryRun,
          onBatch: (p) => void process.stderr.write(`${p.store}: ${p.done}/${p.total}\n`),
        }).catch((error: { code?: string }) => {
          // A batch waited past the statement or lock timeout for rows a long transaction holds.
          if (error.code === '57014' || error.code === '55P03')
            throw new CliError(
              'A batch waited too long for values another transaction holds; that batch was rolled back and the batches before it are kept. Run the command again.',
            );
          throw error;
        });
        process.stdout.write(summary(report));
      });
    });

  secrets
    .command('key-status')
    .description('which master keys seal stored values, and how many each')
    .option('--json', 'print JSON')
    .option('--home <dir>', 'data directory (ORCHARD_HOME)')
    .action(async (opts: { json?: boolean; home?: string }, command: Command) => {
      await withDatabase(command, { home: opts.home }, async (res) => {
        const status = await masterKeyStatus(res.db, res.vault, sealedStores, system);
        process.stdout.write(opts.json ? `${JSON.stringify(status, null, 2)}\n` : describeKeys(status.keys));
      });
    });

  secrets
    .command('retire-key <keyId>')
    .description('forget an old master key once no value is sealed under it')
    .option('--home <dir>', 'data directory (ORCHARD_HOME)')
    .action(async (keyId: string, opts: { home?: string }, command: Command) => {
      await withDatabase(command, { home: opts.home }, async (res, config) => {
        const retired = await retireMasterKey(res.db, res.vault, sealedStores, system, {
          keyId,
          home: config.home,
        });
        const lines = [`No value is sealed under ${keyId}.`];
        if (retired.removedFile) lines.push(`Deleted ${retired.removedFile}.`);
        if (retired.configured || !retired.removedFile)
          lines.push(
            `Remove it from ORCHARD_OTHER_MASTER_KEYS on every server (and from every other <home>/master-keys/) and restart them.`,
          );
        lines.push('Backups taken before the rotation still need it: keep a copy with them, or none.');
        process.stdout.write(`${lines.join('\n')}\n`);
      });
    });
}

function summary(r: RotationReport): string {
  const lines: string[] = [];
  if (r.toReseal === 0 && r.remaining === 0) {
    const total = r.stores.reduce((sum, s) => sum + s.total, 0);
    return `Nothing to re-seal: all ${total} stored values are sealed under the current master key ${r.keyId}.\n`;
  }
  for (const s of r.stores)
    lines.push(
      r.dryRun
        ? `${s.name}: ${s.toReseal} of ${s.total} to re-seal`
        : `${s.name}: re-sealed ${s.resealed} of ${s.toReseal} (${s.total} in all)`,
    );
  if (r.dryRun) lines.push(`Would re-seal ${r.toReseal} values under ${r.keyId}.`);
  else if (r.remaining > 0)
    lines.push(
      `Re-sealed ${r.resealed} values under ${r.keyId}; ${r.remaining} are under another key (written meanwhile by a server that still seals with an old key): make ${r.keyId} current on every server, then run again.`,
    );
  else lines.push(`Re-sealed ${r.resealed} values: every stored value is now sealed under ${r.keyId}.`);
  return `${lines.join('\n')}\n`;
}

function describeKeys(keys: KeyUse[]): string {
  const lines = keys.map((k) => {
    const role = k.current ? 'current' : k.source ? 'readable' : 'MISSING';
    const where = Object.entries(k.values)
      .map(([store, n]) => `${store} ${n}`)
      .join(', ');
    const advice = k.current
      ? ''
      : !k.source
        ? ' — values under it cannot be opened: give this process that key'
        : k.total === 0
          ? ' — unused: may be retired (orchard secrets retire-key)'
          : ' — run orchard secrets rotate-key';
    return `${k.id}  ${role.padEnd(8)}  ${k.total} values${where ? ` (${where})` : ''}${k.source ? `  from ${k.source}` : ''}${advice}`;
  });
  return `${lines.join('\n')}\n`;
}
