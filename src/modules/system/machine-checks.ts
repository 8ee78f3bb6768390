import { bubblewrapCheck } from './check-bubblewrap.ts';
import { chromiumCheck } from './check-chromium.ts';
import { databaseCheck } from './check-database.ts';
import { diskCheck } from './check-disk.ts';
import { gitCheck } from './check-git.ts';
import { nodeCheck } from './check-node.ts';
import { portCheck } from './check-port.ts';
import { slirp4netnsCheck } from './check-slirp4netns.ts';
import type { MachineCheck } from './machine-check.ts';

/**
 * Everything `orchard doctor`, `/ready` and the UI's warnings check, in the order they print. A
 * new check is a `MachineCheck` in its own file and one line here.
 */
export const MACHINE_CHECKS: readonly MachineCheck[] = [
  nodeCheck,
  chromiumCheck,
  bubblewrapCheck,
  slirp4netnsCheck,
  gitCheck,
  portCheck,
  diskCheck,
  databaseCheck,
];
