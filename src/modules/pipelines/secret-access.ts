import { protectedBranchContaining, repositoryPath } from '../git/index.ts';
import { findUserById } from '../identity/index.ts';
import { currentProjectRole, type ProjectRow, roleAtLeast } from '../projects/index.ts';
import { revealSecrets } from '../secrets/index.ts';
import type { PipelineDeps } from './deps.ts';
import { type PipelineRow, setJobSecrets } from './store.ts';

export interface SecretAccess {
  protectedAllowed: boolean;
  /** Why, in words for the job's log (names only, never values). */
  reason: string;
}

/**
 * Whether a pipeline's jobs may be given protected secrets (docs/git-and-pipelines.md, "Who may
 * use a secret"): yes when the commit is on a protected branch (code a maintainer accepted), or
 * when the pipeline is a manual run, a rerun or a schedule started by someone who is a
 * maintainer or owner at the moment the job starts (never an agent's run: agents act for someone,
 * at developer level at most). A push says only who moved a ref, not who
 * wrote or reviewed the code, and a merge-request pipeline runs the proposed code itself, so
 * neither counts.
 */
export async function pipelineSecretAccess(
  res: PipelineDeps,
  pipeline: PipelineRow,
  project: ProjectRow,
): Promise<SecretAccess> {
  const branch = await protectedBranchContaining(repositoryPath(res.config.home, project.slug), pipeline.sha);
  if (branch) return { protectedAllowed: true, reason: `the commit is on protected branch "${branch}"` };
  const where = `"${pipeline.ref}" is not a protected branch`;
  const deny = (why: string) => ({ protectedAllowed: false, reason: `${where}${why}` });
  if (pipeline.trigger === 'merge_request')
    return deny(', and merge-request pipelines of unprotected branches never get protected secrets');
  if (pipeline.trigger === 'push' && !pipeline.rerun_of)
    return deny(' and the pipeline was started by a push');
  if (!pipeline.actor_id) return deny(' and no user who started it is known');
  const user = await findUserById(res.db, pipeline.actor_id);
  // An agent acts for someone at developer level at most, whatever role its principal was given.
  if (user?.kind === 'agent')
    return deny(
      `, and ${user.username}, who started it, is an agent acting for someone (agents never get protected secrets)`,
    );
  const role = await currentProjectRole(res.db, project.id, pipeline.actor_id);
  if (user && role && roleAtLeast(role, 'maintainer'))
    return { protectedAllowed: true, reason: `${user.username}, a ${role}, started it` };
  const now = role ?? (user && !user.disabled ? 'no longer a member' : 'disabled or deleted');
  return deny(
    `, and ${user?.username ?? 'the user'}, who started it, is ${now} (protected secrets need a maintainer or owner)`,
  );
}

/**
 * The secrets a job is given as it starts: decides the access, reveals what it allows, records the
 * names given and withheld on the job (its artifacts' readers depend on them) and words a log
 * note naming what was withheld and why.
 */
export async function selectJobSecrets(
  res: PipelineDeps,
  input: { pipeline: PipelineRow; project: ProjectRow; jobId: string; names: string[] },
): Promise<{ values: Record<string, string>; note?: string }> {
  if (!input.names.length) return { values: {} };
  const access = await pipelineSecretAccess(res, input.pipeline, input.project);
  const { values, withheld } = await revealSecrets(res.db, res.vault, input.project.id, input.names, access);
  await setJobSecrets(res.db, input.jobId, { given: Object.keys(values), withheld });
  if (!withheld.length) return { values };
  const them = withheld.length > 1 ? 'them' : 'it';
  return {
    values,
    note: `⚠ Withheld protected secret${withheld.length > 1 ? 's' : ''} ${withheld.join(', ')}: ${access.reason}. The job runs without ${them}; a maintainer's run, or the commit on a protected branch, gets ${them}.`,
  };
}
