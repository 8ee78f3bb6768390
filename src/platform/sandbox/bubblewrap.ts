import { isWithin, resolvConfPath, systemMounts } from './system-mounts.ts';

export interface BubblewrapOptions {
  /** The working directory, bound at the same path (read-write unless `workspaceReadOnly`). */
  workspace: string;
  workspaceReadOnly?: boolean;
  /** Further paths bound read-write (a scratch HOME, a data directory). */
  writable?: string[];
  /** Further paths bound read-only (the job's git directory). */
  readOnly?: string[];
  /**
   * Paths covered by an empty tmpfs. Only needed for a path inside a mounted system directory
   * (an Orchard home under /opt, say): nothing else of the host is mounted at all.
   */
  hidden?: string[];
  /**
   * A network namespace of the sandbox's own: loopback only, unless slirp4netns is then attached
   * to it. Off when the caller made the namespace already, or the sandbox shares the host's.
   */
  unshareNet: boolean;
  /** Supported by this bubblewrap (0.8+): the sandbox cannot make user namespaces of its own. */
  disableUserns: boolean;
  /** /etc/resolv.conf for the sandbox, read from this fd (a private network's own resolver). */
  resolvConfFd?: number;
  /** bwrap writes its child's pid here as JSON (`child-pid`). */
  infoFd?: number;
  /** bwrap waits for a byte here before running the command (network and cgroup set up first). */
  blockFd?: number;
}

/**
 * bubblewrap arguments for a job or app. The sandbox starts from an empty root: the host's system
 * directories read-only, fresh /dev, /proc and /tmp, the given paths, nothing else. It gets new
 * user, pid, ipc, uts and cgroup namespaces (and network unless `host`), every capability is
 * dropped, it cannot make user namespaces, it has its own session (no terminal injection) and it
 * dies with Orchard. Run it as an unprivileged uid: inside it is that uid, never root.
 */
export function bubblewrapArgs(options: BubblewrapOptions): string[] {
  const args: string[] = [];
  const mounts = systemMounts();
  for (const m of mounts) args.push(m.kind === 'symlink' ? '--symlink' : '--ro-bind', m.source, m.dest);
  args.push('--dev', '/dev', '--proc', '/proc', '--tmpfs', '/tmp', '--tmpfs', '/var/tmp');
  const roots = mounts.filter((m) => m.kind === 'ro-bind').map((m) => m.dest);
  for (const dir of options.hidden ?? []) if (isWithin(dir, roots)) args.push('--tmpfs', dir);
  if (options.resolvConfFd !== undefined)
    args.push('--ro-bind-data', String(options.resolvConfFd), resolvConfPath());
  for (const dir of options.readOnly ?? []) args.push('--ro-bind', dir, dir);
  args.push(options.workspaceReadOnly ? '--ro-bind' : '--bind', options.workspace, options.workspace);
  for (const dir of options.writable ?? []) args.push('--bind', dir, dir);
  // Without --uid, the sandbox's uid is the one bwrap runs as: the unprivileged user it was started as.
  args.push('--unshare-user', '--unshare-pid', '--unshare-ipc', '--unshare-uts', '--unshare-cgroup-try');
  if (options.unshareNet) args.push('--unshare-net');
  if (options.disableUserns) args.push('--disable-userns');
  args.push('--cap-drop', 'ALL', '--hostname', 'orchard-sandbox');
  if (options.infoFd !== undefined) args.push('--info-fd', String(options.infoFd));
  if (options.blockFd !== undefined) args.push('--block-fd', String(options.blockFd));
  args.push('--die-with-parent', '--new-session', '--chdir', options.workspace);
  return args;
}
