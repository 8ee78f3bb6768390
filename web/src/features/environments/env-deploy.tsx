import { type FormEvent, useState } from 'react';
import { ApiError } from '../../api/client.ts';
import { Link } from '../../app/router.tsx';
import { FormError } from '../../widgets/alert.tsx';
import { Button } from '../../widgets/button.tsx';
import { Card } from '../../widgets/card.tsx';
import { TextField } from '../../widgets/field.tsx';
import { useLiveOperation, useOperation } from '../operations/live-operation.ts';
import { StatusBadge } from '../operations/live-status.tsx';
import { mergeSteps, StepProgressList } from '../operations/live-steps.tsx';
import { useDeploy } from './env-queries.ts';

/** Deploys a branch, tag or commit to staging and follows the deploy live. */
export function DeployStagingCard({ slug, onDone }: { slug: string; onDone: () => void }) {
  const deploy = useDeploy(slug);
  const [operationId, setOperationId] = useState<string | null>(null);
  const { live } = useLiveOperation(operationId, { onComplete: onDone });
  const detail = useOperation(operationId);
  const errors = deploy.error instanceof ApiError ? deploy.error.fieldErrors() : {};

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const ref = String(new FormData(event.currentTarget).get('ref') ?? '').trim();
    deploy.mutate(
      { env: 'staging', ...(ref && { ref }) },
      { onSuccess: (accepted) => setOperationId(accepted.operationId) },
    );
  }

  return (
    <Card title="Deploy to staging" description="Build a branch, tag or commit and swap it in once healthy.">
      <form onSubmit={submit} aria-label="Deploy to staging" className="space-y-3">
        <FormError error={deploy.error} />
        <TextField
          label="Ref"
          name="ref"
          optional
          placeholder="main"
          error={errors.ref}
          autoCapitalize="off"
          spellCheck={false}
        />
        <Button type="submit" variant="secondary" busy={deploy.isPending}>
          Deploy staging
        </Button>
      </form>
      {operationId && (
        <div className="mt-4 space-y-3 border-t border-slate-100 pt-4">
          <div className="flex items-center justify-between">
            <StatusBadge status={live.status} />
            <Link
              to={`/operations/${encodeURIComponent(operationId)}`}
              className="text-sm font-medium text-emerald-700 hover:underline"
            >
              Details
            </Link>
          </div>
          <StepProgressList steps={mergeSteps(live.steps, detail.data?.steps)} dense />
          {live.error && !live.steps.some((s) => s.status === 'failed') && (
            <p className="text-xs text-red-700">{live.error}</p>
          )}
        </div>
      )}
    </Card>
  );
}
