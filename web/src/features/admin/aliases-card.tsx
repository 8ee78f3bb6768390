import { Card } from '../../widgets/card.tsx';

/**
 * The aliases callers ask for (`coder`, `architect`, `planner`…) and the chain of models each tries
 * in order. They are set in the config file (llm.aliases); there is no API to change them.
 */
export function AliasesCard({ aliases }: { aliases: Record<string, string[]> }) {
  const entries = Object.entries(aliases);
  return (
    <Card
      title="Aliases"
      description="Each alias tries its models in order, falling back when one fails. Set them under llm.aliases in the config file."
      flush
    >
      {entries.length === 0 ? (
        <p className="px-5 py-6 text-sm text-slate-500">
          No aliases: callers name provider/model themselves.
        </p>
      ) : (
        <dl className="divide-y divide-slate-100">
          {entries.map(([alias, chain]) => (
            <div key={alias} className="flex flex-wrap gap-x-4 gap-y-1 px-5 py-3 text-sm">
              <dt className="w-28 shrink-0 font-medium text-slate-900">{alias}</dt>
              <dd className="min-w-0 font-mono text-xs break-all text-slate-600">{chain.join(' → ')}</dd>
            </div>
          ))}
        </dl>
      )}
    </Card>
  );
}
