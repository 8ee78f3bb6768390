import type { AnsweredBy } from '../../api/conversation-types.ts';
import { ModelBadge, RulesBadge } from '../../widgets/model-badge.tsx';

/** Who wrote a reply, from its recorded LLM call: alias, model and fallback; or "rules". */
export function AnsweredByBadge({ by }: { by: AnsweredBy }) {
  if (by.kind === 'rules') return <RulesBadge />;
  return (
    <ModelBadge
      alias={by.alias}
      provider={by.provider}
      model={by.model}
      fallbackFrom={by.fallbackFrom}
      failed={by.failed}
    />
  );
}
