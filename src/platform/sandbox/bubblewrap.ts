export interface BubblewrapOptions {
  /** The writable working directory (bound read-write at the same path). */
  workspace: string;
  /** Further paths bound read-write (e.g. a cache directory). */
  writable?: string[];
  /** Paths covered by an empty tmpfs so the job cannot read them (Orchard's home: keys, database). */
  hidden?: string[];
  /** Paths bound read-only again on top of a hidden one (the job's git directory inside Orchard's home). */
  readOnly?: string[];
  network: boolean;
}

/**
 * bubblewrap arguments for a job: the host's root read-only, fresh /dev, /proc and /tmp, the
 * workspace writable, hidden paths masked, no network unless asked, new pid/ipc/uts namespaces.
 * Order matters: later mounts land on top of earlier ones, so the hidden tmpfs comes before the
 * workspace bind that may live under it.
 */
export function bubblewrapArgs(options: BubblewrapOptions): string[] {
  const args = [
    '--ro-bind',
    '/',
    '/',
    '--dev',
    '/dev',
    '--proc',
    '/proc',
    '--tmpfs',
    '/tmp',
    '--tmpfs',
    '/var/tmp',
  ];
  for (const dir of options.hidden ?? []) args.push('--tmpfs', dir);
  for (const dir of options.readOnly ?? []) args.push('--ro-bind', dir, dir);
  for (const dir of [options.workspace, ...(options.writable ?? [])]) args.push('--bind', dir, dir);
  args.push('--unshare-pid', '--unshare-ipc', '--unshare-uts', '--hostname', 'orchard-job');
  if (!options.network) args.push('--unshare-net');
  args.push('--die-with-parent', '--new-session', '--chdir', options.workspace);
  return args;
}
