import type { Command } from 'commander';
import { z } from 'zod';
import { renderProjectK8s } from '../modules/deploy/index.ts';
import { parseInput } from './parse-input.ts';
import { CliError } from './run.ts';
import { withDatabase } from './with-database.ts';

const RenderFlags = z.object({
  target: z.literal('k8s', { error: 'only "k8s" is supported' }),
  project: z.string().min(1),
  domain: z.string().min(1).optional(),
  namespace: z
    .string()
    .regex(/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/, 'must be a DNS label')
    .optional(),
  ingressClass: z.string().min(1).optional(),
  image: z.string().min(1).optional(),
});

export function registerDeploy(program: Command) {
  const deploy = program.command('deploy').description('deployed apps: environments and manifests');
  deploy
    .command('render')
    .description("print Kubernetes manifests (Deployment, Service, Ingress) for a project's environments")
    .requiredOption('--target <target>', 'what to render for: k8s')
    .requiredOption('--project <slug>', 'the project')
    .option('--domain <domain>', 'apps answer at <env>--<slug>.<domain> (default: deploy.domain)')
    .option('--namespace <name>', 'set metadata.namespace')
    .option('--ingress-class <name>', 'set spec.ingressClassName')
    .option(
      '--image <template>',
      'image name template, e.g. registry/app:{slug}-{sha} (default: deploy.image)',
    )
    .option('--home <dir>', 'data directory (ORCHARD_HOME)')
    .action(async (opts: Record<string, string | undefined>, command: Command) => {
      const input = parseInput(RenderFlags, opts);
      await withDatabase(command, { home: opts.home }, async (res, config) => {
        const yaml = await renderProjectK8s(res.db, config, input.project, {
          ...(input.domain ? { domain: input.domain } : {}),
          ...(input.image ? { image: input.image } : {}),
          namespace: input.namespace,
          ingressClassName: input.ingressClass,
        }).catch((error: Error) => {
          throw new CliError(error.message);
        });
        process.stdout.write(yaml);
      });
    });
}
