/**
 * Archiving what setup made, and restoring it, with tar run inside the session's sandbox as the
 * project's user: the workspace is the sandbox's, so Orchard's own user never walks it (a link
 * planted there cannot make Orchard read or write elsewhere), and extracting an archive can write
 * nowhere but the workspace, whatever links it holds. GNU tar's own guards apply too: members
 * named absolutely or with `..` are refused, and links pointing out are only made at the end.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { runInSetupSandbox, type SetupSandbox, sandboxBaseEnv } from './setup-sandbox.ts';

/** How long archiving or extracting may take (a large node_modules is a few seconds). */
const ARCHIVE_TIMEOUT_MS = 10 * 60_000;

export interface ArchiveRun {
  /** A directory of the run's own, writable by the sandbox's user (the archive is written there). */
  outDir: string;
  signal: AbortSignal;
}

/** Archives `paths` (relative to the workspace) to `<outDir>/setup.tar`; returns its path. */
export async function archiveSetupOutputs(
  box: SetupSandbox,
  paths: string[],
  run: ArchiveRun,
): Promise<string> {
  const list = path.join(run.outDir, 'paths');
  // `wx`: never through a file someone else put there first.
  await writeFile(list, paths.map((p) => `${p}\0`).join(''), { flag: 'wx', mode: 0o644 });
  const archive = path.join(run.outDir, 'setup.tar');
  await tar(box, run, {
    command: [
      'tar',
      '--create',
      `--file=${archive}`,
      `--directory=${box.workspace}`,
      '--one-file-system',
      '--null',
      '--verbatim-files-from',
      `--files-from=${list}`,
    ],
    workspaceReadOnly: true,
    writable: [run.outDir],
  });
  return archive;
}

/** Extracts a cached archive into the workspace. */
export async function extractSetupArchive(box: SetupSandbox, archive: string, run: ArchiveRun) {
  await tar(box, run, {
    command: [
      'tar',
      '--extract',
      `--file=${archive}`,
      `--directory=${box.workspace}`,
      '--no-same-owner',
      '--no-overwrite-dir',
    ],
    writable: [run.outDir],
    readOnly: [archive],
  });
}

async function tar(
  box: SetupSandbox,
  run: ArchiveRun,
  how: { command: string[]; workspaceReadOnly?: boolean; writable: string[]; readOnly?: string[] },
) {
  let output = '';
  const result = await runInSetupSandbox(box, {
    ...how,
    env: { ...sandboxBaseEnv(run.outDir), HOME: run.outDir, TMPDIR: run.outDir },
    // Archiving never has a network (withEgress left off).
    timeoutMs: ARCHIVE_TIMEOUT_MS,
    signal: run.signal,
    onOutput: (chunk) => {
      output = (output + chunk.toString('utf8')).slice(-2_000);
    },
  });
  run.signal.throwIfAborted();
  if (result.exitCode !== 0)
    throw new Error(
      `tar ${result.timedOut ? 'timed out' : `exited ${result.exitCode ?? result.signal}`}${output.trim() ? `: ${output.trim()}` : ''}`,
    );
}
