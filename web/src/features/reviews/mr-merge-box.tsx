import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { ApiError, api, seg } from '../../api/client.ts';
import { keys } from '../../api/query-keys.ts';
import type { MergeBlocker, MergeRequest } from '../../api/review-types.ts';
import { Alert } from '../../widgets/alert.tsx';
import { Button } from '../../widgets/button.tsx';
import { ConfirmButton } from '../../widgets/confirm-button.tsx';
import { rollup } from './mr-checks.tsx';

type Method = 'merge' | 'fast-forward';

const STATE_TEXT = {
  mergeable: {
    tone: 'success',
    title: 'Ready to merge',
    text: 'No conflicts with the target branch; merging writes a merge commit.',
  },
  fast_forward: {
    tone: 'success',
    title: 'Ready to merge',
    text: 'The target branch can be fast-forwarded, or merged with a merge commit.',
  },
  conflict: { tone: 'error', title: 'This merge has conflicts', text: '' },
  up_to_date: {
    tone: 'info',
    title: 'Nothing to merge',
    text: 'The target branch already contains every commit of the source.',
  },
  missing_branch: {
    tone: 'warning',
    title: 'A branch is missing',
    text: 'The source or target branch no longer exists.',
  },
} as const;

const blockerKey = (b: MergeBlocker) =>
  b.kind === 'check' ? `check:${b.check}` : b.kind === 'changes_requested' ? `changes:${b.reviewer}` : b.kind;

const approvalsText = (n: number) => `${n} approval${n === 1 ? '' : 's'}`;

/**
 * Mergeability, what the target branch's rule still blocks (checks, approvals, requested changes),
 * the merge method and the merge button, which says why it is disabled; a 409 shows the server's
 * reason and paths.
 */
export function MrMergeBox({ slug, mr, canMerge }: { slug: string; mr: MergeRequest; canMerge: boolean }) {
  const client = useQueryClient();
  const m = mr.mergeability ?? { status: 'mergeable' as const, conflicts: [] };
  const [method, setMethod] = useState<Method>('merge');
  const effective: Method = m.status === 'fast_forward' ? method : 'merge';
  const merge = useMutation({
    mutationFn: () =>
      api.post<MergeRequest>(`/api/projects/${seg(slug)}/merge-requests/${mr.number}/merge`, {
        method: effective,
      }),
    onSuccess: (merged) => {
      client.setQueryData(keys.mergeRequest(slug, mr.number), merged);
      void client.invalidateQueries({ queryKey: keys.project(slug) });
    },
    // A 409 may mean the branches moved: reload mergeability to show the current state.
    onError: () => client.invalidateQueries({ queryKey: keys.mergeRequest(slug, mr.number) }),
  });
  const close = useMutation({
    mutationFn: () =>
      api.patch<MergeRequest>(`/api/projects/${seg(slug)}/merge-requests/${mr.number}`, { state: 'closed' }),
    onSuccess: (updated) => client.setQueryData(keys.mergeRequest(slug, mr.number), updated),
  });
  const ready = m.status === 'mergeable' || m.status === 'fast_forward';
  const checks = rollup(mr.checks);
  const reasonId = useId();
  const required = mr.protection?.requiredChecks ?? [];
  const requiredApprovals = mr.protection?.requiredApprovals ?? 0;
  const blockers = mr.protection?.blockers ?? [];
  const onlyChecks = blockers.every((b) => b.kind === 'check');
  const whyDisabled =
    m.status === 'up_to_date'
      ? `${mr.targetBranch} already contains every commit of ${mr.sourceBranch}: nothing to merge.`
      : m.status === 'missing_branch'
        ? 'The source or target branch no longer exists.'
        : blockers.length > 0
          ? `Merging is blocked: ${blockers.map((b) => b.message).join('; ')}.`
          : undefined;
  // Without conflicts but held back by required checks, it is not "ready" yet.
  const info =
    ready && blockers.length > 0
      ? { ...STATE_TEXT[m.status], tone: 'info' as const, title: 'No conflicts' }
      : STATE_TEXT[m.status];
  const conflictPaths =
    merge.error instanceof ApiError && Array.isArray(merge.error.problem.conflicts)
      ? (merge.error.problem.conflicts as string[])
      : [];

  return (
    <section aria-label="Merge" className="rounded-lg border border-slate-200 bg-white shadow-xs">
      <div className="space-y-3 px-5 py-4">
        <Alert tone={info.tone} title={info.title}>
          {m.status === 'conflict' ? (
            <>
              <p>
                {m.conflicts.length === 1 ? '1 file conflicts' : `${m.conflicts.length} files conflict`}.
                Merge <code>{mr.targetBranch}</code> into <code>{mr.sourceBranch}</code>, resolve, and push.
              </p>
              <ul aria-label="Conflicting files" className="mt-1 list-inside list-disc font-mono text-xs">
                {m.conflicts.map((p) => (
                  <li key={p}>{p}</li>
                ))}
              </ul>
            </>
          ) : (
            info.text
          )}
        </Alert>
        {blockers.length > 0 && (
          <Alert
            tone="warning"
            title={
              onlyChecks
                ? `Merging into ${mr.targetBranch} needs passing checks`
                : `Merging into ${mr.targetBranch} is blocked`
            }
          >
            <ul aria-label="What blocks the merge" className="list-inside list-disc">
              {blockers.map((b) => (
                <li
                  key={blockerKey(b)}
                  data-kind={b.kind}
                  data-status={b.kind === 'check' ? b.status : undefined}
                >
                  {b.message}
                </li>
              ))}
            </ul>
          </Alert>
        )}
        {required.length > 0 && blockers.length === 0 && (
          <p className="text-xs text-slate-600">
            Every check {mr.targetBranch} requires passed: {required.join(', ')}.
          </p>
        )}
        {requiredApprovals > 0 && blockers.length === 0 && (
          <p className="text-xs text-slate-600">
            Approved as {mr.targetBranch} requires ({mr.protection?.approvals ?? 0} of{' '}
            {approvalsText(requiredApprovals)}
            {mr.protection?.dismissStaleApprovals ? ', on the head commit' : ''}).
          </p>
        )}
        {ready && blockers.length === 0 && (checks === 'failure' || checks === 'error') && (
          <Alert tone="warning">A check failed on the head commit. Merge only if you know why.</Alert>
        )}
        {ready && blockers.length === 0 && (checks === 'running' || checks === 'pending') && (
          <Alert>Checks are still running on the head commit.</Alert>
        )}
        {merge.isError && (
          <Alert tone="error" title="The merge was refused">
            <p>{merge.error instanceof ApiError ? merge.error.detail : merge.error.message}</p>
            {conflictPaths.length > 0 && (
              <ul aria-label="Conflicting paths" className="mt-1 list-inside list-disc font-mono text-xs">
                {conflictPaths.map((p) => (
                  <li key={p}>{p}</li>
                ))}
              </ul>
            )}
          </Alert>
        )}
        {close.isError && (
          <Alert tone="error">
            {close.error instanceof ApiError ? close.error.detail : close.error.message}
          </Alert>
        )}
      </div>
      {canMerge && (
        <div className="flex flex-wrap items-center gap-4 border-t border-slate-200 bg-slate-50 px-5 py-3">
          <fieldset className="flex flex-wrap items-center gap-4 text-sm">
            <legend className="sr-only">Merge method</legend>
            <label className="flex items-center gap-1.5 text-slate-700">
              <input
                type="radio"
                name="merge-method"
                value="merge"
                checked={effective === 'merge'}
                onChange={() => setMethod('merge')}
                className="accent-emerald-700"
              />
              Merge commit
            </label>
            <label
              className={`flex items-center gap-1.5 ${m.status === 'fast_forward' ? 'text-slate-700' : 'text-slate-400'}`}
            >
              <input
                type="radio"
                name="merge-method"
                value="fast-forward"
                checked={effective === 'fast-forward'}
                disabled={m.status !== 'fast_forward'}
                onChange={() => setMethod('fast-forward')}
                className="accent-emerald-700"
              />
              Fast-forward
            </label>
          </fieldset>
          <div className="ml-auto flex flex-wrap items-center justify-end gap-2">
            {whyDisabled && (
              <p id={reasonId} className="max-w-md text-right text-xs text-slate-600">
                {whyDisabled}
              </p>
            )}
            <ConfirmButton
              variant="ghost"
              question="Close without merging?"
              confirmLabel="Close"
              busy={close.isPending}
              onConfirm={() => close.mutate()}
            >
              Close
            </ConfirmButton>
            <Button
              onClick={() => merge.mutate()}
              busy={merge.isPending}
              disabled={whyDisabled !== undefined}
              aria-describedby={whyDisabled ? reasonId : undefined}
            >
              {effective === 'fast-forward' ? 'Fast-forward merge' : 'Merge'}
            </Button>
          </div>
        </div>
      )}
    </section>
  );
}
