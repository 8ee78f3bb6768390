import { ErrorAlert } from '../../widgets/alert.tsx';
import { Card } from '../../widgets/card.tsx';
import { LoadMore } from '../../widgets/load-more.tsx';
import { Loading } from '../../widgets/spinner.tsx';
import { useServiceAccounts } from './principal-queries.ts';
import { CreateServiceAccountForm } from './service-account-form.tsx';
import { ServiceAccountItem } from './service-account-item.tsx';

/**
 * For the admin panel: service accounts — accounts for CI, scripts and integrations that never
 * sign in and act only with the tokens issued here (each shown once). Add one to a project by its
 * name, as a member, like a person.
 */
export function ServiceAccountsCard() {
  const accounts = useServiceAccounts();
  const items = accounts.data?.pages.flatMap((p) => p.items) ?? [];

  return (
    <div className="space-y-6">
      <Card
        title="Create a service account"
        description="No password and no sign-in: it acts only with the tokens you issue it. Add it to projects by name, like a person."
      >
        <CreateServiceAccountForm />
      </Card>
      <Card title="Service accounts" flush>
        {accounts.isPending ? (
          <Loading label="Loading service accounts…" className="px-5" />
        ) : accounts.isError ? (
          <div className="p-5">
            <ErrorAlert error={accounts.error} />
          </div>
        ) : items.length === 0 ? (
          <p className="px-5 py-6 text-sm text-slate-500">No service accounts yet.</p>
        ) : (
          <>
            <ul className="divide-y divide-slate-100" aria-label="Service accounts">
              {items.map((account) => (
                <ServiceAccountItem key={account.id} account={account} />
              ))}
            </ul>
            <LoadMore pages={accounts} />
          </>
        )}
      </Card>
    </div>
  );
}
