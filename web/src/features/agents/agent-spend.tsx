import type { AgentSession } from '../../api/agent-session-types.ts';
import { Card } from '../../widgets/card.tsx';
import { formatDuration } from '../../widgets/format.ts';
import { formatCount, formatUsd } from '../llm/llm-format.ts';
import { ProgressBar } from '../operations/live-status.tsx';

interface Meter {
  label: string;
  used: number;
  limit?: number;
  format: (n: number) => string;
}

/** Near the limit turns amber, at it red (the session stops there). */
const barStatus = (ratio: number) => (ratio >= 1 ? 'failed' : ratio >= 0.8 ? 'cancelled' : 'running');

function SpendMeter({ label, used, limit, format }: Meter) {
  const ratio = limit ? used / limit : 0;
  return (
    <div>
      <div className="flex items-baseline justify-between gap-2 text-sm">
        <dt className="text-slate-500">{label}</dt>
        <dd className="font-medium text-slate-800 tabular-nums">
          {format(used)}
          <span className="font-normal text-slate-400">
            {' '}
            / {limit === undefined ? 'no limit' : format(limit)}
          </span>
        </dd>
      </div>
      {limit !== undefined && (
        <ProgressBar
          fraction={ratio}
          status={barStatus(ratio)}
          label={`${label} used of the budget`}
          className="mt-1"
        />
      )}
    </div>
  );
}

/** What the session has spent against its budget: steps, tokens, dollars, wall time. */
export function SpendMeters({ session }: { session: AgentSession }) {
  const { spend, budget } = session;
  const meters: Meter[] = [
    { label: 'Steps', used: spend.steps, limit: budget.maxSteps, format: String },
    {
      label: 'Tokens',
      used: spend.inputTokens + spend.outputTokens,
      limit: budget.maxTokens,
      format: formatCount,
    },
    { label: 'Cost', used: spend.costUsd, limit: budget.maxCostUsd, format: formatUsd },
    { label: 'Wall time', used: spend.wallMs, limit: budget.maxWallMs, format: formatDuration },
  ];
  return (
    <Card title="Spend" description="Against the session's budget.">
      <dl aria-label="Spend" className="space-y-3">
        {meters.map((m) => (
          <SpendMeter key={m.label} {...m} />
        ))}
      </dl>
    </Card>
  );
}
