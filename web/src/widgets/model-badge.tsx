/**
 * Which model answered: the alias asked for (when one was) and the provider/model that answered,
 * as the gateway recorded them, with the model it fell back from when the first one failed. Shown
 * wherever a model's answer is.
 */
export function ModelBadge({
  alias,
  provider,
  model,
  fallbackFrom,
  failed,
}: {
  alias?: string | null;
  /** Absent when the answer names `model` as `provider/model` already. */
  provider?: string | null;
  model: string;
  /** `provider/model` first asked, when another model of the alias's chain answered. */
  fallbackFrom?: string | null;
  /** The call gave no usable answer. */
  failed?: boolean;
}) {
  const answered = provider ? `${provider}/${model}` : model;
  const title = [
    alias ? `Alias ${alias}, answered by ${answered}` : `Answered by ${answered}`,
    fallbackFrom ? ` after ${fallbackFrom} failed` : '',
    failed ? ' (no usable answer)' : '',
  ].join('');
  return (
    <span
      data-testid="model-badge"
      title={title}
      // Wraps rather than cut a model name short in a narrow column (the Studio's chat).
      className="inline-flex max-w-full min-w-0 flex-wrap items-stretch overflow-hidden rounded-xl bg-violet-50 text-[11px] font-medium ring-1 ring-violet-200 ring-inset"
    >
      {alias && <span className="shrink-0 bg-violet-100 px-1.5 py-0.5 text-violet-900">{alias}</span>}
      <span className="min-w-0 px-1.5 py-0.5 font-mono break-all text-violet-800">{answered}</span>
      {fallbackFrom && (
        <span
          className="min-w-0 bg-amber-50 px-1.5 py-0.5 break-all text-amber-900"
          data-testid="model-fallback"
        >
          fallback from <span className="font-mono">{fallbackFrom}</span>
        </span>
      )}
      {failed && <span className="shrink-0 bg-red-50 px-1.5 py-0.5 text-red-700">no usable answer</span>}
    </span>
  );
}

/** A reply written without a model (the rule-based Architect): says so, where a model badge would be. */
export function RulesBadge() {
  return (
    <span
      data-testid="model-badge"
      title="Written by rules: no model was asked"
      className="inline-flex items-center rounded-full bg-slate-100 px-1.5 py-0.5 text-[11px] font-medium text-slate-700 ring-1 ring-slate-200 ring-inset"
    >
      rules
    </span>
  );
}
