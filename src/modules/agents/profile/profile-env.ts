import type { AgentProfile } from './agent-profile.ts';

export type ProfileEnv = AgentProfile['env'];

/** The profile's plain values: what the agent's own commands, CLI runtimes and setup get. */
export function plainEnv(env: ProfileEnv | undefined): Record<string, string> {
  return Object.fromEntries(
    Object.entries(env ?? {}).flatMap(([name, value]) => (typeof value === 'string' ? [[name, value]] : [])),
  );
}

/** The profile's `{ secret: NAME }` references: given to `setup` commands only. */
export function secretRefs(env: ProfileEnv | undefined): { variable: string; secret: string }[] {
  return Object.entries(env ?? {}).flatMap(([variable, value]) =>
    typeof value === 'string' ? [] : [{ variable, secret: value.secret }],
  );
}

/**
 * A command's environment: the profile's variables under Orchard's own. Orchard's win on any
 * name both set (PATH, HOME, the git settings, a CLI's endpoint and key), so a profile can add
 * variables but never redirect or disable what the sandbox relies on.
 */
export function underOrchard(
  profile: Record<string, string>,
  orchard: Record<string, string>,
): Record<string, string> {
  return { ...profile, ...orchard };
}
