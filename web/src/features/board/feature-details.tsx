import { type FormEvent, useId } from 'react';
import type { BoardAssignee, BoardCard, SdlcKind } from '../../api/board-types.ts';
import { ErrorAlert } from '../../widgets/alert.tsx';
import { Button } from '../../widgets/button.tsx';
import { Card } from '../../widgets/card.tsx';
import { compactControl } from '../../widgets/compact-control.ts';
import { TimeAgo } from '../../widgets/time-ago.tsx';
import { KIND_LABELS, KINDS, PHASE_LABELS } from './board-labels.ts';
import { useClassifyFeature, useEditFeature } from './board-queries.ts';
import { KindBadge } from './kind-badge.tsx';

/** Agent runtimes a feature may be assigned to (agents/profile). */
const AGENT_RUNTIMES = ['scaffold', 'llm-agent', 'claude-code', 'codex', 'gemini-cli'];

/**
 * The selected feature: how it was classified and the phases its kind walks, its history, and —
 * for developers — its kind, its assignee and the features it waits for.
 */
export function FeatureDetails({
  slug,
  card,
  cards,
  assignees,
  canEdit,
}: {
  slug: string;
  card: BoardCard;
  cards: BoardCard[];
  assignees: BoardAssignee[];
  canEdit: boolean;
}) {
  const c = card.classification;
  return (
    <Card title={card.title} description={<KindBadge kind={card.kind} classification={c} />}>
      <div className="grid grid-cols-1 gap-6 lg:grid-cols-2">
        <div className="space-y-4 text-sm">
          {c && (
            <p className="text-slate-700">
              <span className="font-medium">Why {KIND_LABELS[card.kind].toLowerCase()}:</span> {c.reason}
              {c.model && <span className="text-slate-500"> ({c.model})</span>}
              {c.fallback && <span className="text-amber-700"> The LLM was not used: {c.fallback}</span>}
              {c.previous && (
                <span className="text-slate-500">
                  {' '}
                  The classifier had said {KIND_LABELS[c.previous.kind].toLowerCase()} ({c.previous.source}).
                </span>
              )}
            </p>
          )}
          <p className="text-slate-700">
            <span className="font-medium">Phases:</span> {card.phases.map((p) => PHASE_LABELS[p]).join(' → ')}
          </p>
          <div>
            <h3 className="mb-1 font-medium text-slate-800">History</h3>
            {card.history.length ? (
              <ol className="space-y-1 text-xs text-slate-600" aria-label={`Moves of ${card.title}`}>
                {card.history.map((m, i) => (
                  // biome-ignore lint/suspicious/noArrayIndexKey: the history only grows at its end
                  <li key={i}>
                    {PHASE_LABELS[m.from]} → {PHASE_LABELS[m.to]}
                    {m.by && <> by {m.by}</>}
                    {m.at && (
                      <>
                        {' '}
                        <TimeAgo iso={m.at} />
                      </>
                    )}
                    {m.reason && <span className="text-slate-500"> — {m.reason}</span>}
                  </li>
                ))}
              </ol>
            ) : (
              <p className="text-xs text-slate-500">
                Not moved yet: it starts in {PHASE_LABELS[card.phase]}.
              </p>
            )}
          </div>
        </div>
        {canEdit && (
          <div className="space-y-5">
            <KindForm slug={slug} card={card} />
            <AssigneeForm slug={slug} card={card} assignees={assignees} />
            <DependenciesForm slug={slug} card={card} cards={cards} />
          </div>
        )}
      </div>
    </Card>
  );
}

function KindForm({ slug, card }: { slug: string; card: BoardCard }) {
  const id = useId();
  const classify = useClassifyFeature(slug);
  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const kind = String(new FormData(event.currentTarget).get('kind')) as SdlcKind;
    classify.mutate({ id: card.id, kind });
  }
  return (
    <form onSubmit={submit} aria-label="Kind of work" className="space-y-1.5">
      <label htmlFor={id} className="block text-sm font-medium text-slate-800">
        Kind of work
      </label>
      <div className="flex gap-2">
        <select
          id={id}
          name="kind"
          defaultValue={card.kind}
          key={card.kind}
          className={`${compactControl} w-44`}
        >
          {KINDS.map((k) => (
            <option key={k} value={k}>
              {KIND_LABELS[k]}
            </option>
          ))}
        </select>
        <Button type="submit" variant="secondary" size="sm" busy={classify.isPending}>
          Set kind
        </Button>
      </div>
      <p className="text-xs text-slate-500">
        Overrides the classifier; the feature walks that kind's phases.
      </p>
      <ErrorAlert error={classify.error} />
    </form>
  );
}

function AssigneeForm({
  slug,
  card,
  assignees,
}: {
  slug: string;
  card: BoardCard;
  assignees: BoardAssignee[];
}) {
  const id = useId();
  const edit = useEditFeature(slug);
  const choices = [...new Set([...assignees.map((a) => a.key), ...AGENT_RUNTIMES.map((r) => `agent:${r}`)])];
  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const text = String(new FormData(event.currentTarget).get('assignee') ?? '').trim();
    edit.mutate({ id: card.id, assignee: text || null });
  }
  return (
    <form onSubmit={submit} aria-label="Assignee" className="space-y-1.5">
      <label htmlFor={id} className="block text-sm font-medium text-slate-800">
        Assignee
      </label>
      <div className="flex gap-2">
        <input
          id={id}
          name="assignee"
          list={`${id}-choices`}
          defaultValue={card.assignee?.key ?? ''}
          key={card.assignee?.key ?? ''}
          placeholder="username or agent:llm-agent"
          className={`${compactControl} w-56`}
        />
        <datalist id={`${id}-choices`}>
          {choices.map((k) => (
            <option key={k} value={k} />
          ))}
        </datalist>
        <Button type="submit" variant="secondary" size="sm" busy={edit.isPending}>
          Assign
        </Button>
      </div>
      <p className="text-xs text-slate-500">
        A person, the project's agent (its username), or agent:&lt;runtime&gt;; empty unassigns.
      </p>
      <ErrorAlert error={edit.error} />
    </form>
  );
}

function DependenciesForm({ slug, card, cards }: { slug: string; card: BoardCard; cards: BoardCard[] }) {
  const edit = useEditFeature(slug);
  const others = cards.filter((c) => c.id !== card.id);
  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const dependsOn = new FormData(event.currentTarget).getAll('dependsOn').map(String);
    edit.mutate({ id: card.id, dependsOn });
  }
  return (
    <form onSubmit={submit} aria-label="Waits for" className="space-y-1.5" key={card.dependsOn.join()}>
      <fieldset>
        <legend className="text-sm font-medium text-slate-800">Waits for</legend>
        {others.length ? (
          <ul className="mt-1 max-h-48 space-y-1 overflow-y-auto text-sm">
            {others.map((o) => (
              <li key={o.id}>
                <label className="flex items-center gap-2">
                  <input
                    type="checkbox"
                    name="dependsOn"
                    value={o.id}
                    defaultChecked={card.dependsOn.includes(o.id)}
                  />
                  <span className="break-words">{o.title}</span>
                  <span className="text-xs text-slate-400">{PHASE_LABELS[o.phase]}</span>
                </label>
              </li>
            ))}
          </ul>
        ) : (
          <p className="text-xs text-slate-500">No other feature on the board.</p>
        )}
      </fieldset>
      <Button type="submit" variant="secondary" size="sm" busy={edit.isPending}>
        Save dependencies
      </Button>
      <ErrorAlert error={edit.error} />
    </form>
  );
}
