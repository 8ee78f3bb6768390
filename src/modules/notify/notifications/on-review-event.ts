import { findActiveUsersByName } from '../../identity/index.ts';
import { listProjectMemberIds } from '../../projects/index.ts';
import type { ReviewEvent, ReviewListener } from '../../reviews/index.ts';
import type { NotifyDeps } from '../deps.ts';
import { mentionedUsernames } from './mentions.ts';
import { recordStreak } from './notification-store.ts';
import { notify } from './notify.ts';

const excerpt = (text: string) => (text.length > 500 ? `${text.slice(0, 497)}…` : text);

/**
 * In-app and email notifications from review events: a merge request opened (its review
 * requested from the person an agent worked for, or from every developer when the branch needs
 * approvals), `@mentions` in comments, and the `pipeline` check failing or passing again.
 */
export function notificationsOnReviewEvent(res: NotifyDeps): ReviewListener {
  return async (event) => {
    if (event.type === 'check') return onPipelineCheck(res, event);
    if (event.type === 'merge_request' && event.action === 'opened') return onMergeRequestOpened(res, event);
    if (event.action === 'commented' && event.comment) return onComment(res, event);
  };
}

async function onMergeRequestOpened(res: NotifyDeps, event: Extract<ReviewEvent, { type: 'merge_request' }>) {
  const mr = event.mergeRequest;
  const link = `/projects/${event.projectSlug}/merge-requests/${mr.number}`;
  const who = event.actor.delegation
    ? `An agent (for ${event.actor.delegation.byUsername})`
    : event.actor.username;
  const common = {
    projectId: event.projectId,
    actorId: event.actor.userId,
    body: `${who} opened !${mr.number} ${mr.title} (${mr.sourceBranch} → ${mr.targetBranch}).\n\n${excerpt(mr.description)}`.trim(),
    link,
    dedupeKey: `merge_request:${mr.id}:opened`,
  };
  // The person an agent worked for reviews its work; a branch needing approvals needs developers'.
  const reviewers = event.actor.delegation ? [event.actor.delegation.byUserId] : [];
  if ((mr.protection?.requiredApprovals ?? 0) > 0 && !event.actor.delegation)
    await notify(res, undefined, {
      ...common,
      kind: 'review_requested',
      recipients: { projectMembers: { projectId: event.projectId, minRole: 'developer' } },
      title: `Review requested: !${mr.number} ${mr.title}`,
    });
  if (reviewers.length)
    await notify(res, undefined, {
      ...common,
      kind: 'review_requested',
      recipients: reviewers,
      title: `Review requested: !${mr.number} ${mr.title}`,
    });
  // Everyone else hears that it was opened (the same key: nobody gets both).
  await notify(res, undefined, {
    ...common,
    kind: 'merge_request_opened',
    recipients: { projectMembers: { projectId: event.projectId, minRole: 'developer' } },
    title: `Merge request opened: !${mr.number} ${mr.title}`,
  });
}

async function onComment(res: NotifyDeps, event: Exclude<ReviewEvent, { type: 'check' }>) {
  const comment = event.comment!;
  const names = mentionedUsernames(comment.body);
  if (!names.length) return;
  // Only people who can see the project hear of it: its members and the instance's admins (as
  // currentProjectRole decides), not disabled.
  const users = await findActiveUsersByName(res.db, names.slice(0, 50));
  if (!users.length) return;
  const members = new Set(await listProjectMemberIds(res.db, event.projectId));
  const recipients = users.filter((u) => u.role === 'admin' || members.has(u.id)).map((u) => u.id);
  if (!recipients.length) return;
  const [what, number, title, path] =
    event.type === 'issue'
      ? ['#', event.issue.number, event.issue.title, 'issues']
      : ['!', event.mergeRequest.number, event.mergeRequest.title, 'merge-requests'];
  await notify(res, undefined, {
    kind: 'comment_mention',
    projectId: event.projectId,
    actorId: event.actor.userId,
    recipients,
    title: `${event.actor.username} mentioned you on ${what}${number} ${title}`,
    body: excerpt(comment.body),
    link: `/projects/${event.projectSlug}/${path}/${number}`,
    dedupeKey: `comment:${comment.id}:mention`,
  });
}

async function onPipelineCheck(res: NotifyDeps, event: Extract<ReviewEvent, { type: 'check' }>) {
  const check = event.check;
  if (check.name !== 'pipeline' || event.action !== 'completed') return;
  if (check.status !== 'success' && check.status !== 'failure' && check.status !== 'error') return;
  // In the reporter's transaction, under the savepoint reportCheck gives each listener: a failure
  // here is undone and logged there, and the check (and pipeline) stay recorded.
  const failing = check.status !== 'success';
  const details = check.details as { pipelineId?: string; number?: number; ref?: string };
  const subject = `pipeline:${details.ref ?? 'any'}`;
  const wasFailing = await recordStreak(event.tx, {
    projectId: event.projectId,
    subject,
    failing,
    at: res.clock.now(),
  });
  if (!failing && !wasFailing) return;
  const number = details.number ?? '';
  const on = details.ref ? ` on ${details.ref.replace(/^refs\/heads\//, '')}` : '';
  // Who pushed (or the person their agent acted for) and the project's maintainers.
  const person = event.actor.delegation?.byUserId ?? event.actor.userId;
  for (const recipients of [
    [person],
    { projectMembers: { projectId: event.projectId, minRole: 'maintainer' as const } },
  ])
    await notify(
      res,
      event.tx,
      {
        kind: failing ? 'pipeline_failed' : 'pipeline_fixed',
        projectId: event.projectId,
        recipients,
        title: failing ? `Pipeline #${number} failed${on}` : `Pipeline #${number} passed again${on}`,
        body: check.summary,
        link: details.pipelineId
          ? `/projects/${event.projectSlug}/pipelines/${details.pipelineId}`
          : undefined,
        dedupeKey: `pipeline:${details.pipelineId ?? event.sha}:${failing ? 'failed' : 'fixed'}`,
      },
      event.actor,
    );
}
