import { useQuery } from '@tanstack/react-query';
import type { InstanceSummary } from '../../api/admin-types.ts';
import { api } from '../../api/client.ts';
import { keys } from '../../api/query-keys.ts';
import { Link } from '../../app/router.tsx';
import { ErrorAlert } from '../../widgets/alert.tsx';
import { Loading } from '../../widgets/spinner.tsx';
import { AliasesCard } from './aliases-card.tsx';
import { BudgetsCard } from './budgets-card.tsx';
import { useLlmProviders } from './llm-provider-queries.ts';
import { ProvidersCard } from './providers-card.tsx';

/** The LLM tab: providers (add, edit, remove), aliases and budgets; usage lives on the LLM page. */
export function LlmPanel() {
  const providers = useLlmProviders();
  const instance = useQuery({
    queryKey: keys.instance,
    queryFn: () => api.get<InstanceSummary>('/api/admin/instance'),
  });
  return (
    <div className="space-y-6">
      <p className="text-sm text-slate-600">
        Calls, latency, spend and the model that answered each:{' '}
        <Link to="/llm" className="font-medium text-emerald-800 hover:underline">
          LLM usage
        </Link>
        .
      </p>
      {providers.isPending ? (
        <Loading label="Loading providers…" />
      ) : providers.isError ? (
        <ErrorAlert error={providers.error} />
      ) : (
        <>
          <ProvidersCard providers={providers.data.items} />
          <AliasesCard aliases={providers.data.aliases} />
        </>
      )}
      {instance.isPending ? (
        <Loading label="Loading budgets…" />
      ) : instance.isError ? (
        <ErrorAlert error={instance.error} />
      ) : (
        <BudgetsCard budgets={instance.data.budgets} />
      )}
    </div>
  );
}
