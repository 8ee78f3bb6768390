/**
 * The secrets `.orchard/agent.yml`'s env names, for setup commands only (never the agent's own
 * commands or a CLI agent: a prompt-injected agent would send them anywhere it can). Protected
 * secrets follow "Who may use a secret" (docs/git-and-pipelines.md): setup runs the code of the
 * workspace (package scripts, the packages a lockfile names), so they are given only when that
 * commit is on a protected branch — never to an agent's own unreviewed commits.
 */
import type { Queryable } from '../../../platform/db/pool.ts';
import { NotFoundError } from '../../../platform/errors.ts';
import { revealSecrets, type Vault } from '../../secrets/index.ts';
import { AgentSetupError } from './agent-setup-error.ts';

export interface SetupSecrets {
  /** Variable → value, for the setup commands' environment. */
  env: Record<string, string>;
  /** Every value given, for masking. */
  values: string[];
  /** Protected secrets left out (names only). */
  withheld: string[];
}

export async function revealSetupSecrets(
  deps: { db: Queryable; vault: Vault },
  project: { id: string; slug: string },
  refs: { variable: string; secret: string }[],
  access: { protectedAllowed: boolean },
): Promise<SetupSecrets> {
  const out: SetupSecrets = { env: {}, values: [], withheld: [] };
  // One at a time, so a missing one is named in words of the profile (never with a value).
  for (const ref of refs) {
    const revealed = await revealSecrets(deps.db, deps.vault, project.id, [ref.secret], access).catch(
      (error: unknown) => {
        if (error instanceof NotFoundError)
          throw new AgentSetupError(
            `secret ${ref.secret} named in .orchard/agent.yml env is not set in project ${project.slug}; add it under Settings → Secrets, or remove it from env.`,
          );
        throw error;
      },
    );
    const value = revealed.values[ref.secret];
    if (value === undefined) {
      if (!out.withheld.includes(ref.secret)) out.withheld.push(ref.secret);
      continue;
    }
    out.env[ref.variable] = value;
    out.values.push(value);
  }
  return out;
}
