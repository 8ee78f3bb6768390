import { useQuery } from '@tanstack/react-query';
import type { InstanceSummary } from '../../api/admin-types.ts';
import { api } from '../../api/client.ts';
import { keys } from '../../api/query-keys.ts';
import { ErrorAlert } from '../../widgets/alert.tsx';
import { Card } from '../../widgets/card.tsx';
import { Loading } from '../../widgets/spinner.tsx';

const yesNo = (value: boolean) => (value ? 'yes' : 'no');

/** How the instance is set up (read-only: the config file and environment decide; no secret is shown). */
export function InstanceSummaryCard() {
  const summary = useQuery({
    queryKey: keys.instance,
    queryFn: () => api.get<InstanceSummary>('/api/admin/instance'),
  });
  return (
    <Card
      title="This instance"
      description="Set in the config file or the environment; restart Orchard to change them."
    >
      {summary.isPending ? (
        <Loading label="Loading…" />
      ) : summary.isError ? (
        <ErrorAlert error={summary.error} />
      ) : (
        <Facts summary={summary.data} />
      )}
    </Card>
  );
}

function Facts({ summary: s }: { summary: InstanceSummary }) {
  const facts: Array<[string, string]> = [
    ['Version', s.version],
    [
      'Database',
      s.database === 'embedded' ? 'embedded (Orchard runs its own PostgreSQL)' : 'external (DATABASE_URL)',
    ],
    ['Public URL', s.publicUrl ?? 'not set (links use the address each request came to)'],
    ['Secure cookies', yesNo(s.secureCookies)],
    ['Sessions last', `${s.sessionTtlHours} hours`],
    ['New environments private', yesNo(s.deploy.privateByDefault)],
    ['App domain', s.deploy.domain],
    ['Workers in this process', yesNo(s.workersEnabled)],
    ['Single sign-on (OIDC) providers', String(s.oidcProviders)],
  ];
  return (
    <dl className="grid grid-cols-1 gap-x-6 gap-y-2 text-sm sm:grid-cols-[max-content_1fr]">
      {facts.map(([name, value]) => (
        <div key={name} className="contents">
          <dt className="font-medium text-slate-700">{name}</dt>
          <dd className="min-w-0 break-all text-slate-600 sm:break-normal">{value}</dd>
        </div>
      ))}
    </dl>
  );
}
