import type { MachineCheck } from './machine-check.ts';
import { findTool } from './run-tool.ts';

export const slirp4netnsCheck: MachineCheck = {
  id: 'slirp4netns',
  title: 'slirp4netns',
  timeoutMs: 5_000,
  async run(ctx) {
    const found = await findTool('slirp4netns', ctx.env);
    return found
      ? { status: 'ok', summary: `slirp4netns (${found})` }
      : {
          status: 'warn',
          summary:
            'slirp4netns is missing: jobs with network, builds and deployed apps are refused unless their project shares the host network',
          fix: 'Install it with: apt-get install slirp4netns',
        };
  },
};
