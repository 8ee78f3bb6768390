import { readFile, rm } from 'node:fs/promises';
import type { Actor } from '../../platform/http/actor.ts';
import { actorDisplayName, isSystemActor } from '../../platform/http/actor.ts';
import type { Resources } from '../../platform/resources.ts';
import { readCommit } from './browse/read-commit.ts';
import type { PushEvent, PushListener, RefUpdate } from './push.ts';
import { ZERO_SHA } from './ref-name.ts';
import { insertPushEvent } from './store.ts';

/** Parses post-receive's stdin (`<old> <new> <ref>` lines) as written to the push log. */
export function parsePushLog(text: string): RefUpdate[] {
  return text
    .split('\n')
    .map((line) => line.trim().split(' '))
    .filter((parts) => parts.length === 3)
    .map(([oldSha, newSha, ref]) => ({ ref: ref!, oldSha: oldSha!, newSha: newSha! }));
}

export async function readPushLog(file: string): Promise<RefUpdate[]> {
  const text = await readFile(file, 'utf8').catch(() => '');
  await rm(file, { force: true });
  return parsePushLog(text);
}

/**
 * Records ref updates as `push` activity (one row per ref) and hands them to the listeners
 * (pipelines, merge requests, webhooks). A failing listener is logged and does not stop the others:
 * the push itself has already succeeded.
 */
export async function handlePush(
  res: Resources,
  listeners: PushListener[],
  input: { projectId: string; projectSlug: string; repo: string; actor: Actor; updates: RefUpdate[] },
): Promise<PushEvent> {
  const updates = [];
  for (const update of input.updates) {
    const headCommit =
      update.newSha === ZERO_SHA ? null : ((await readCommit(input.repo, update.newSha)) ?? null);
    updates.push({ ...update, headCommit });
    await insertPushEvent(res.db, {
      projectId: input.projectId,
      actorId: isSystemActor(input.actor) ? null : input.actor.userId,
      actorName: actorDisplayName(input.actor),
      ...update,
      headCommit: headCommit && {
        sha: headCommit.sha,
        message: headCommit.message,
        authorName: headCommit.authorName,
        authorEmail: headCommit.authorEmail,
        timestamp: headCommit.timestamp,
      },
    });
  }
  const event: PushEvent = {
    projectId: input.projectId,
    projectSlug: input.projectSlug,
    actor: input.actor,
    updates,
  };
  for (const listener of listeners) {
    try {
      await listener(event);
    } catch (error) {
      res.logger.error({ err: error, project: input.projectSlug }, 'push listener failed');
    }
  }
  return event;
}
