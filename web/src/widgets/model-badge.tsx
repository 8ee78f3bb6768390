/**
 * Which model answered: the alias asked for (when one was) and the provider/model that answered,
 * as the gateway recorded them. Shown wherever a model's answer is.
 */
export function ModelBadge({
  alias,
  provider,
  model,
}: {
  alias?: string | null;
  /** Absent when the answer names `model` as `provider/model` already. */
  provider?: string | null;
  model: string;
}) {
  const answered = provider ? `${provider}/${model}` : model;
  return (
    <span
      data-testid="model-badge"
      title={alias ? `Alias ${alias}, answered by ${answered}` : `Answered by ${answered}`}
      className="inline-flex max-w-full min-w-0 items-center overflow-hidden rounded-full text-[11px] font-medium ring-1 ring-violet-200 ring-inset"
    >
      {alias && <span className="shrink-0 bg-violet-100 px-1.5 py-0.5 text-violet-900">{alias}</span>}
      <span className="truncate bg-violet-50 px-1.5 py-0.5 font-mono text-violet-800">{answered}</span>
    </span>
  );
}
