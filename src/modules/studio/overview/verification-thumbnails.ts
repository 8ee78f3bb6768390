import { z } from 'zod';
import type { Queryable } from '../../../platform/db/pool.ts';
import { findStepOutputs } from '../../operations/index.ts';
import { VERIFY_BROWSER_KEY } from '../verification/verification-suite.ts';

/** The part of a browser run's result a thumbnail needs: its first page's screenshot. */
const FirstScreenshot = z.object({ url: z.string() });

/**
 * The first page's screenshot of each build's browser run, as the artifact URL the UI loads (the
 * artifacts route lets only those who may see the build's project read it). Builds whose run kept
 * no screenshot, or a URL that is not one of the build's own artifacts, are absent.
 */
export async function findVerificationThumbnails(
  db: Queryable,
  operationIds: ReadonlyArray<string>,
): Promise<Map<string, string>> {
  const shots = await findStepOutputs(db, operationIds, VERIFY_BROWSER_KEY, ['pages', '0', 'screenshot']);
  const out = new Map<string, string>();
  for (const [operationId, shot] of shots) {
    const parsed = FirstScreenshot.safeParse(shot);
    if (parsed.success && parsed.data.url.startsWith(`/api/artifacts/operations/${operationId}/`))
      out.set(operationId, parsed.data.url);
  }
  return out;
}
