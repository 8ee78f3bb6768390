import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { NotFoundError, UnprocessableError } from '../../../platform/errors.ts';
import { DEFAULT_BRANCH, repositoryPath, resolveRevision } from '../../git/index.ts';
import { type ProjectRow, projectSandboxNetwork, projectSandboxUser } from '../../projects/index.ts';
import { revealSecrets } from '../../secrets/index.ts';
import { APP_SETTINGS_PATH, type AppSettings, parseAppSettings } from '../app-settings.ts';
import { noServerReason } from '../databases/app-database-server.ts';
import type { DeployDeps } from '../deps.ts';
import { buildLogFile, releaseDir } from '../paths.ts';
import { withAdvisoryLock } from './advisory-lock.ts';
import { materializeCommit } from './materialize-commit.ts';
import { pruneReleases } from './prune-releases.ts';
import {
  findReleaseBySha,
  finishRelease,
  type ReleaseRow,
  setReleaseBranch,
  upsertPreparingRelease,
} from './release-store.ts';
import { runBuild } from './run-build.ts';
import { releaseSecretAccess, withheldNote } from './secret-access.ts';

export interface PrepareReleaseInput {
  project: ProjectRow;
  /** A branch, tag or commit sha in the project's repository. */
  ref: string;
  branch?: string;
  actorName?: string;
  /** Build output, line by line (the deploy step forwards it to the operation's log). */
  onLog?(line: string, stream: 'stdout' | 'stderr'): void;
  signal?: AbortSignal;
}

/**
 * A release for a commit: its tree is extracted to `<home>/releases/<slug>/<id>/` and the optional
 * `build` of `.orchard/app.yml` runs there once. A commit already prepared is reused as is (no
 * rebuild). Older releases beyond `deploy.keepReleases` are pruned afterwards.
 */
export async function prepareRelease(deps: DeployDeps, input: PrepareReleaseInput): Promise<ReleaseRow> {
  const { db, config, clock, project } = { ...deps, project: input.project };
  const repo = repositoryPath(config.home, project.slug);
  if (!existsSync(path.join(repo, 'HEAD'))) {
    throw new NotFoundError(`Project "${project.slug}" has no repository yet; push code to it first.`);
  }
  const sha = await resolveRevision(repo, input.ref, 'ref');
  const branch = input.branch ?? (/^[0-9a-f]{7,64}$/.test(input.ref) ? null : input.ref);
  const release = await withAdvisoryLock(
    db,
    `deploy-release:${project.id}:${sha}`,
    async () => {
      const existing = await findReleaseBySha(db, project.id, sha);
      if (existing?.status === 'ready' && existsSync(existing.path)) {
        // A branch's commit merged by fast-forward is released again from main: it is main's now.
        if (branch === DEFAULT_BRANCH && existing.branch !== DEFAULT_BRANCH)
          return (await setReleaseBranch(db, existing.id, DEFAULT_BRANCH, clock.now())) ?? existing;
        return existing;
      }
      const id = existing?.id ?? randomUUID();
      const row = await upsertPreparingRelease(db, {
        id,
        projectId: project.id,
        sha,
        branch,
        path: releaseDir(config.home, project.slug, id),
        createdBy: input.actorName ?? 'system',
        now: clock.now(),
      });
      try {
        const settings = await materialize(deps, project, row, input);
        return await finishRelease(db, row.id, { status: 'ready', settings, now: clock.now() });
      } catch (error) {
        await finishRelease(db, row.id, {
          status: 'failed',
          error: (error as Error).message,
          now: clock.now(),
        });
        throw error;
      }
    },
    { signal: input.signal },
  );
  await pruneReleases(deps, project.id).catch((error) =>
    deps.logger.warn({ err: error, project: project.slug }, 'deploy: pruning old releases failed'),
  );
  return release;
}

async function materialize(
  deps: DeployDeps,
  project: ProjectRow,
  row: ReleaseRow,
  input: PrepareReleaseInput,
): Promise<AppSettings> {
  const { config } = deps;
  const short = row.sha.slice(0, 7);
  await materializeCommit(repositoryPath(config.home, project.slug), row.sha, row.path);
  const file = path.join(row.path, APP_SETTINGS_PATH);
  if (!existsSync(file)) {
    throw new UnprocessableError(
      `Commit ${short} has no ${APP_SETTINGS_PATH}; add one with at least "start: <command>" (the app must listen on $PORT).`,
    );
  }
  const settings = parseAppSettings(await readFile(file, 'utf8'), `${APP_SETTINGS_PATH} at ${short}`);
  if (settings.database && !deps.appDatabases)
    input.onLog?.(
      `⚠ ${APP_SETTINGS_PATH} asks for a PostgreSQL database, but ${noServerReason(config)}. The app keeps its records in DATA_DIR (its file store).`,
      'stdout',
    );
  if (!settings.build) return settings;
  let secrets: Record<string, string> = {};
  if (settings.secrets.length) {
    const access = await releaseSecretAccess(config.home, project.slug, row.sha);
    const revealed = await revealSecrets(deps.db, deps.vault, project.id, settings.secrets, access);
    secrets = revealed.values;
    if (revealed.withheld.length)
      input.onLog?.(withheldNote(revealed.withheld, 'build', access.reason), 'stdout');
  }
  input.onLog?.(`▶ Building release ${short}: ${settings.build}`, 'stdout');
  const result = await runBuild({
    command: settings.build,
    workspace: row.path,
    scratch: path.join(config.home, 'work', 'deploy', row.id),
    logFile: buildLogFile(config.home, project.slug, row.id),
    env: { ...settings.env, ORCHARD_PROJECT: project.slug, ORCHARD_COMMIT_SHA: row.sha, ...secrets },
    secretValues: Object.values(secrets),
    home: config.home,
    hidden: [config.home],
    user: projectSandboxUser(project, config.sandbox.uidBase),
    network: projectSandboxNetwork(project, true),
    allowUnsandboxed: config.sandbox.allowUnsandboxed,
    name: `build-${row.id}`,
    onLine: input.onLog,
    signal: input.signal,
    isolation: deps.isolation,
  });
  if (!result.ok) {
    const tail = result.tail
      .slice(-10)
      .map((l) => `  ${l}`)
      .join('\n');
    throw new UnprocessableError(
      `The build of release ${short} failed (exit ${result.exitCode ?? 'killed'}): ${settings.build}${tail ? `\n${tail}` : ''}`,
    );
  }
  return settings;
}
