import { DEFAULT_PATH } from '../../../platform/sandbox/index.ts';
import type { CliAdapter } from './cli-adapter.ts';

/**
 * A CLI's whole environment in the sandbox; nothing of Orchard's own is inherited. `own` is what
 * the adapter adds (its base URL, the session key, telemetry and update switches).
 */
export function cliEnvironment(
  cli: CliAdapter,
  installDir: string,
  home: string,
  own: Record<string, string>,
): Record<string, string> {
  return {
    PATH: [...(cli.extraPath?.(installDir) ?? []), DEFAULT_PATH].join(':'),
    HOME: home,
    // The sandbox's own /tmp: a fresh tmpfs per run.
    TMPDIR: '/tmp',
    LANG: 'C.UTF-8',
    NO_COLOR: '1',
    // A worktree's git directory is Orchard's and read-only in the sandbox: git must neither refuse it nor lock it.
    GIT_CONFIG_COUNT: '1',
    GIT_CONFIG_KEY_0: 'safe.directory',
    GIT_CONFIG_VALUE_0: '*',
    GIT_OPTIONAL_LOCKS: '0',
    ...own,
  };
}

/**
 * Masks `secret` anywhere in a value (an event, a line): a CLI may echo its environment, so a
 * command like `env` would otherwise put the session key into a tool result. In any case: a host
 * name the egress proxy records is in lower case, whatever the command spelt. Keys too short to
 * be real (test keys) are left alone rather than masking ordinary words.
 */
export function secretMasker(secret: string): <T>(value: T) => T {
  if (secret.length < 8) return (value) => value;
  const escaped = JSON.stringify(secret).slice(1, -1);
  const pattern = new RegExp(escaped.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'gi');
  return (value) => {
    const json = JSON.stringify(value);
    const masked = json.replace(pattern, '***');
    return masked === json ? value : (JSON.parse(masked) as typeof value);
  };
}
