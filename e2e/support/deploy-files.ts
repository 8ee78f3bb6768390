import { commitFiles, gitOk, localRepo } from '../../test/git.ts';
import { until } from '../../test/support/until.ts';
import type { OrchardApi } from './code-review-fixtures.ts';

/**
 * Pushes `files` to a project's main over git (as the admin) and deploys main to an environment
 * (staging by default), waiting until the deploy succeeded.
 */
export async function deployFiles(
  orchardUrl: string,
  api: OrchardApi,
  slug: string,
  files: Record<string, string>,
  message: string,
  env = 'staging',
): Promise<void> {
  const work = await localRepo();
  await commitFiles(work, files, message);
  const remote = new URL(`${orchardUrl}/git/${slug}.git`);
  remote.username = 'git';
  remote.password = api.token;
  await gitOk(['push', '-q', remote.toString(), 'main'], work);
  const { operationId } = await api.call<{ operationId: string }>('POST', `/api/projects/${slug}/deploy`, {
    env,
    ref: 'main',
  });
  await until(
    async () =>
      (await api.call<{ status: string }>('GET', `/api/operations/${operationId}`)).status === 'succeeded',
    120_000,
    'the deploy',
  );
}
