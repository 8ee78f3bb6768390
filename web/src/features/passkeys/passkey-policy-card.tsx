import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client.ts';
import type { PasskeyPolicy } from '../../api/passkey-types.ts';
import { keys } from '../../api/query-keys.ts';
import { ErrorAlert } from '../../widgets/alert.tsx';
import { Card } from '../../widgets/card.tsx';
import { Loading } from '../../widgets/spinner.tsx';

/** Admins: require every person to hold a passkey (those without one register one before anything else). */
export function PasskeyPolicyCard() {
  const client = useQueryClient();
  const policy = useQuery({
    queryKey: keys.passkeyPolicy,
    queryFn: () => api.get<PasskeyPolicy>('/api/admin/passkey-policy'),
  });
  const update = useMutation({
    mutationFn: (requirePasskeys: boolean) =>
      api.put<PasskeyPolicy>('/api/admin/passkey-policy', { requirePasskeys }),
    onSuccess: (answer) => client.setQueryData(keys.passkeyPolicy, answer),
  });

  return (
    <Card title="Passkey policy" description="For everyone on this instance. API tokens are not affected.">
      {policy.isPending ? (
        <Loading label="Loading the policy…" />
      ) : policy.isError ? (
        <ErrorAlert error={policy.error} />
      ) : (
        <div className="space-y-3">
          <ErrorAlert error={update.error} />
          <label className="flex items-start gap-2 text-sm text-slate-700">
            <input
              type="checkbox"
              checked={policy.data.requirePasskeys}
              disabled={update.isPending}
              onChange={(event) => update.mutate(event.currentTarget.checked)}
              className="mt-0.5 size-4 rounded border-slate-300 accent-emerald-700 focus-visible:outline-2 focus-visible:outline-emerald-600"
            />
            <span>
              <span className="font-medium text-slate-900">Require a passkey</span>
              <span className="block text-slate-500">
                People without one who sign in with a password must add one before anything else. You need a
                passkey yourself to turn this on.
              </span>
            </span>
          </label>
        </div>
      )}
    </Card>
  );
}
