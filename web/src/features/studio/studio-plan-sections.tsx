import type { Assumption, BlueprintDocument, UnmetRule } from '../../api/studio-types.ts';
import { Badge } from '../../widgets/badge.tsx';
import { PlanEmpty, PlanSection } from './studio-plan-section.tsx';

const METHOD_CLASS: Record<string, string> = {
  GET: 'bg-sky-50 text-sky-800 ring-sky-200',
  POST: 'bg-emerald-50 text-emerald-800 ring-emerald-200',
  PUT: 'bg-amber-50 text-amber-800 ring-amber-200',
  PATCH: 'bg-amber-50 text-amber-800 ring-amber-200',
  DELETE: 'bg-red-50 text-red-700 ring-red-200',
};

/** What still stands between the Blueprint and a build. */
export function PlanReadiness({ ready, unmet }: { ready: boolean; unmet: UnmetRule[] }) {
  if (ready) {
    return (
      <div
        role="status"
        className="flex items-center gap-2 rounded-md bg-emerald-50 px-3 py-2 text-sm text-emerald-900 ring-1 ring-emerald-200"
      >
        <svg viewBox="0 0 16 16" className="size-4 text-emerald-600" aria-hidden="true">
          <path
            d="M3.5 8.5l3 3 6-7"
            fill="none"
            stroke="currentColor"
            strokeWidth="2"
            strokeLinecap="round"
          />
        </svg>
        Ready to build: every readiness rule is met.
      </div>
    );
  }
  return (
    <div className="rounded-md bg-amber-50 px-3 py-2.5 ring-1 ring-amber-200">
      <p className="text-sm font-medium text-amber-900">
        {unmet.length} thing{unmet.length === 1 ? '' : 's'} to settle before building
      </p>
      <ul aria-label="Unmet readiness rules" className="mt-1.5 space-y-1">
        {unmet.map((rule) => (
          <li key={rule.rule} className="flex gap-2 text-sm text-amber-950">
            <span aria-hidden="true" className="mt-2 size-1.5 shrink-0 rounded-full bg-amber-500" />
            <span>
              {rule.message}
              {rule.example && <code className="ml-1.5 text-xs text-amber-800">{rule.example}</code>}
            </span>
          </li>
        ))}
      </ul>
    </div>
  );
}

export function PlanEndpoints({ endpoints }: { endpoints: BlueprintDocument['sections']['apiEndpoints'] }) {
  return (
    <PlanSection title="API endpoints" count={endpoints.length}>
      {endpoints.length === 0 ? (
        <PlanEmpty>No endpoints yet.</PlanEmpty>
      ) : (
        <ul aria-label="API endpoints" className="space-y-1">
          {endpoints.map((e) => (
            <li key={`${e.method} ${e.path}`} className="flex items-center gap-2 text-sm">
              <span
                className={`w-14 shrink-0 rounded px-1.5 py-0.5 text-center font-mono text-[11px] font-semibold ring-1 ring-inset ${METHOD_CLASS[e.method] ?? ''}`}
              >
                {e.method}
              </span>
              <code className="truncate text-xs text-slate-800">{e.path}</code>
              {e.description && <span className="truncate text-xs text-slate-500">{e.description}</span>}
            </li>
          ))}
        </ul>
      )}
    </PlanSection>
  );
}

export function PlanPages({ doc }: { doc: BlueprintDocument }) {
  const pages = doc.sections.pages;
  const components = doc.sections.uiComponents;
  return (
    <PlanSection title="Pages" count={pages.length}>
      {pages.length === 0 ? (
        <PlanEmpty>No pages yet.</PlanEmpty>
      ) : (
        <ul aria-label="Pages" className="divide-y divide-slate-100 rounded-md border border-slate-200">
          {pages.map((p) => (
            <li key={p.name} className="flex items-center gap-3 px-3 py-2">
              <div className="min-w-0 flex-1">
                <p className="truncate text-sm font-medium text-slate-900">{p.name}</p>
                {p.purpose && <p className="truncate text-xs text-slate-500">{p.purpose}</p>}
              </div>
              {p.entity && <span className="font-mono text-xs text-slate-500">{p.entity}</span>}
              <code className="text-xs text-slate-700">{p.path ?? '—'}</code>
              <Badge>{p.kind}</Badge>
            </li>
          ))}
        </ul>
      )}
      {components.length > 0 && (
        <p className="mt-2 text-xs text-slate-500">Components: {components.map((c) => c.name).join(', ')}</p>
      )}
    </PlanSection>
  );
}

/** Design tokens: colours as swatches, the rest as their values. */
export function PlanDesign({ tokens }: { tokens: BlueprintDocument['sections']['designSystem']['tokens'] }) {
  const colors = Object.entries(tokens.colors ?? {});
  const others = [
    ['Fonts', tokens.fonts],
    ['Text sizes', tokens.fontSizes],
    ['Radii', tokens.radii],
    ['Spacing', tokens.spacing],
  ] as const;
  const empty = colors.length === 0 && others.every(([, map]) => Object.keys(map ?? {}).length === 0);
  return (
    <PlanSection title="Design system">
      {empty ? (
        <PlanEmpty>No design tokens yet: the template's defaults apply.</PlanEmpty>
      ) : (
        <div className="space-y-3">
          {colors.length > 0 && (
            <ul aria-label="Colors" className="grid grid-cols-2 gap-2 sm:grid-cols-3">
              {colors.map(([name, value]) => (
                <li
                  key={name}
                  className="flex items-center gap-2 rounded-md border border-slate-200 px-2 py-1.5"
                >
                  <span
                    className="size-6 shrink-0 rounded ring-1 ring-black/10 ring-inset"
                    style={{ backgroundColor: value }}
                    aria-hidden="true"
                  />
                  <span className="min-w-0">
                    <span className="block truncate text-xs font-medium text-slate-800">{name}</span>
                    <span className="block truncate font-mono text-[11px] text-slate-500">{value}</span>
                  </span>
                </li>
              ))}
            </ul>
          )}
          {others.map(([label, map]) =>
            Object.keys(map ?? {}).length ? (
              <div key={label} className="flex flex-wrap items-baseline gap-1.5">
                <span className="w-16 text-xs text-slate-500">{label}</span>
                {Object.entries(map).map(([name, value]) => (
                  <span
                    key={name}
                    className="rounded bg-slate-100 px-1.5 py-0.5 text-xs text-slate-700"
                    title={value}
                  >
                    {name}:{' '}
                    <span className="font-mono">{label === 'Fonts' ? value.split(',')[0] : value}</span>
                  </span>
                ))}
              </div>
            ) : null,
          )}
        </div>
      )}
    </PlanSection>
  );
}

const assumptionText = (a: Assumption) => (typeof a === 'string' ? a : a.text);
const assumptionSource = (a: Assumption) => (typeof a === 'string' ? null : a.source);

export function PlanAssumptions({ doc }: { doc: BlueprintDocument }) {
  return (
    <>
      <PlanSection title="Assumptions" count={doc.assumptions.length}>
        {doc.assumptions.length === 0 ? (
          <PlanEmpty>No assumptions.</PlanEmpty>
        ) : (
          <ul aria-label="Assumptions" className="space-y-1.5">
            {doc.assumptions.map((a, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: assumptions may repeat; their order is their identity
              <li key={i} className="flex gap-2 text-sm text-slate-700">
                <span aria-hidden="true" className="mt-2 size-1.5 shrink-0 rounded-full bg-slate-300" />
                <span className="flex-1">{assumptionText(a)}</span>
                {assumptionSource(a) && (
                  <span className="text-[11px] text-slate-400">{assumptionSource(a)}</span>
                )}
              </li>
            ))}
          </ul>
        )}
      </PlanSection>
      <PlanSection title="Open questions" count={doc.openQuestions.length}>
        {doc.openQuestions.length === 0 ? (
          <PlanEmpty>No open questions.</PlanEmpty>
        ) : (
          <ul aria-label="Open questions" className="space-y-2">
            {doc.openQuestions.map((q) => (
              <li key={q.id} className="text-sm">
                <p className="text-slate-800">
                  <code className="mr-1.5 text-xs text-slate-500">{q.id}</code>
                  {q.question}
                </p>
                {q.answer ? (
                  <p className="mt-0.5 ml-6 text-slate-600">→ {q.answer}</p>
                ) : (
                  <p className="mt-0.5 ml-6 text-xs text-amber-700">unanswered — reply “answer {q.id}: …”</p>
                )}
              </li>
            ))}
          </ul>
        )}
      </PlanSection>
    </>
  );
}

type Step = BlueprintDocument['userStories'][number]['acceptance'][number] extends { check?: infer C }
  ? NonNullable<C> extends { steps: (infer S)[] }
    ? S
    : never
  : never;

/** `fill [name="title"] with "Recipe {{run}}"`: a step as a person reads it. */
function describeStep(step: Step): string {
  const [kind, target] = Object.entries(step)[0] ?? ['', ''];
  const value = 'value' in step ? ` with “${step.value}”` : '';
  return `${kind} ${typeof target === 'string' ? target : String(target)}${value}`;
}

/** What was asked, as stories, and how the browser robot checks each after a build. */
export function PlanStories({ doc }: { doc: BlueprintDocument }) {
  const stories = doc.userStories ?? [];
  return (
    <PlanSection title="User stories" count={stories.length}>
      {stories.length === 0 ? (
        <PlanEmpty>No user stories: only the pages are checked after a build.</PlanEmpty>
      ) : (
        <ul aria-label="User stories" className="space-y-3">
          {stories.map((story) => (
            <li key={story.id} className="text-sm">
              <p className="text-slate-800">
                <code className="mr-1.5 text-xs text-slate-500">{story.id}</code>
                {story.story}
              </p>
              <ul className="mt-1 ml-6 space-y-1">
                {story.acceptance.map((criterion, i) => (
                  // biome-ignore lint/suspicious/noArrayIndexKey: criteria have no id; their order is their identity
                  <li key={i} className="text-slate-600">
                    <span>{criterion.text}</span>{' '}
                    {criterion.check ? (
                      <details className="inline">
                        <summary className="inline cursor-pointer">
                          <Badge tone="blue">checked in a browser at {criterion.check.path}</Badge>
                        </summary>
                        <ol className="mt-1 ml-4 list-decimal font-mono text-xs text-slate-500">
                          {criterion.check.steps.map((step, n) => (
                            // biome-ignore lint/suspicious/noArrayIndexKey: steps run in order; their order is their identity
                            <li key={n}>{describeStep(step)}</li>
                          ))}
                        </ol>
                      </details>
                    ) : (
                      <Badge tone="neutral">told to the agent, not checked</Badge>
                    )}
                  </li>
                ))}
              </ul>
            </li>
          ))}
        </ul>
      )}
    </PlanSection>
  );
}
