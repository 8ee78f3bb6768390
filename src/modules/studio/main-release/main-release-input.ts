import { z } from 'zod';

/** `studio.release-main`: `main`'s commit that passed, on its way to staging. */
export const MAIN_RELEASE_KIND = 'studio.release-main';

export const MainReleaseInput = z.object({
  sha: z.string().regex(/^[0-9a-f]{40,64}$/, 'must be a full commit sha'),
  /** The pipeline that passed it (null: no pipeline applies to main). */
  pipelineNumber: z.number().int().positive().nullable(),
});
export type MainReleaseInput = z.infer<typeof MainReleaseInput>;

/** One release operation per commit of main, however often it is announced. */
export function mainReleaseKey(projectId: string, sha: string): string {
  return `main-release:${projectId}:${sha}`;
}

export interface MainDeployOutput {
  /** False when main moved on before this commit's turn: the newer commit's release follows. */
  deployed: boolean;
  releaseId?: string;
  url?: string;
  sha: string;
}

/** What `verify/report` is given: the release the browser checked. */
export const MainReportInput = MainReleaseInput.extend({ releaseId: z.uuid(), url: z.string() });
export type MainReportInput = z.infer<typeof MainReportInput>;
