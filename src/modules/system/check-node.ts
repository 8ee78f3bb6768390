import type { MachineCheck } from './machine-check.ts';

/** The oldest Node.js Orchard runs on (package.json `engines`). */
export const MIN_NODE = [20, 19] as const;

export const nodeCheck: MachineCheck = {
  id: 'node',
  title: 'Node.js',
  timeoutMs: 1_000,
  async run() {
    const version = process.versions.node;
    const [major = 0, minor = 0] = version.split('.').map(Number);
    const recent = major > MIN_NODE[0] || (major === MIN_NODE[0] && minor >= MIN_NODE[1]);
    return recent
      ? { status: 'ok', summary: `Node.js ${version}` }
      : {
          status: 'fail',
          summary: `Node.js ${version} is too old: Orchard needs ${MIN_NODE.join('.')} or newer`,
          fix: `Install Node.js ${MIN_NODE[0]} LTS (${MIN_NODE.join('.')} or newer), then run npm ci again.`,
        };
  },
};
