import type { InstanceSummary } from '../../api/admin-types.ts';
import { Card } from '../../widgets/card.tsx';

/**
 * LLM budgets, read-only: there is no instance-wide budget and no API to set one. Each kind of
 * work has limits that apply when nothing else is set, changed where the card says.
 */
export function BudgetsCard({ budgets }: { budgets: InstanceSummary['budgets'] }) {
  return (
    <Card
      title="Budgets"
      description="Limits on model spend. Read-only here: each is set where it says. A single gateway call may also carry its own token and cost budget from its caller."
    >
      <div className="space-y-4">
        {budgets.map((b) => (
          <section key={b.scope} aria-label={`${b.scope} budget`}>
            <h3 className="text-sm font-medium text-slate-900">{b.scope}</h3>
            <p className="text-xs text-slate-500">Set in {b.configuredIn}.</p>
            <dl className="mt-2 flex flex-wrap gap-2">
              {Object.entries(b.defaults).map(([name, value]) => (
                <div key={name} className="rounded-md bg-slate-50 px-2.5 py-1 text-xs ring-1 ring-slate-200">
                  <dt className="inline text-slate-500">{name} </dt>
                  <dd className="inline font-mono text-slate-800">{value ?? 'no limit'}</dd>
                </div>
              ))}
            </dl>
          </section>
        ))}
      </div>
    </Card>
  );
}
