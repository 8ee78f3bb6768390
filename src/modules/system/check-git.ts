import type { MachineCheck } from './machine-check.ts';
import { findTool, runTool } from './run-tool.ts';

export const gitCheck: MachineCheck = {
  id: 'git',
  title: 'git',
  timeoutMs: 5_000,
  async run(ctx) {
    const git = await findTool('git', ctx.env);
    if (!git) {
      return {
        status: 'fail',
        summary: 'git is missing: projects cannot hold repositories, so nothing can be built',
        fix: 'Install it with: apt-get install git',
      };
    }
    const version = await runTool(git, ['--version'], { env: ctx.env });
    const number = /git version (\S+)/.exec(version.stdout)?.[1];
    if (!version.ok || !number) {
      return {
        status: 'fail',
        summary: `${git} does not run: ${version.stderr.trim() || 'no version'}`,
        fix: 'Reinstall git: apt-get install --reinstall git',
      };
    }
    return { status: 'ok', summary: `git ${number} (${git})` };
  },
};
