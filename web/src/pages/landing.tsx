import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, type KeyboardEvent, useId, useRef, useState } from 'react';
import { ApiError, api } from '../api/client.ts';
import type { RequestBody } from '../api/openapi-answer.ts';
import type { Page } from '../api/page.ts';
import type { Project } from '../api/project-types.ts';
import { keys } from '../api/query-keys.ts';
import type { PromptAccepted, TemplateId } from '../api/studio-types.ts';
import { usePageTitle } from '../app/page-title.ts';
import { navigate } from '../app/router.tsx';
import { RecentProjects } from '../features/projects/recent-projects.tsx';
import { LandingSteps } from '../features/studio/studio-landing-steps.tsx';
import { useTemplates } from '../features/studio/studio-queries.ts';
import { FormError } from '../widgets/alert.tsx';
import { Button } from '../widgets/button.tsx';
import { CharCount } from '../widgets/char-count.tsx';
import { selectClass } from '../widgets/field.tsx';

/** The longest prompt the API takes (POST /api/prompts). */
const PROMPT_LIMIT = 4000;

const EXAMPLES = [
  'A photo gallery where visitors can like photos',
  'A reading list with authors, ratings and notes',
  'A landing page for a neighbourhood coffee shop',
];

type PromptBody = RequestBody<'/api/prompts', 'post'>;

/** Orchard's front door: one sentence in, a live build out. */
export function LandingPage() {
  usePageTitle('Build');
  const client = useQueryClient();
  const promptId = useId();
  const projectId = useId();
  const textarea = useRef<HTMLTextAreaElement>(null);
  const [prompt, setPrompt] = useState('');
  const [template, setTemplate] = useState<TemplateId | undefined>();
  const [project, setProject] = useState('');
  const [reviewFirst, setReviewFirst] = useState(false);
  const templates = useTemplates();
  const projects = useQuery({
    queryKey: [...keys.projects, { picker: true }],
    queryFn: () => api.get<Page<Project>>('/api/projects', { limit: 100 }),
  });
  const start = useMutation({
    mutationFn: (body: PromptBody) => api.post<PromptAccepted>('/api/prompts', body),
    onSuccess: (accepted) => {
      client.invalidateQueries({ queryKey: keys.projects });
      navigate(
        `/projects/${encodeURIComponent(accepted.projectSlug)}/blueprints/${encodeURIComponent(accepted.blueprintId)}?operation=${encodeURIComponent(accepted.operationId)}`,
      );
    },
  });
  const errors = start.error instanceof ApiError ? start.error.fieldErrors() : {};

  function submit(event?: FormEvent) {
    event?.preventDefault();
    const text = prompt.trim();
    if (!text || start.isPending) return;
    start.mutate({
      prompt: text,
      ...(template && { template }),
      ...(project && { project }),
      ...(reviewFirst && { reviewFirst }),
    });
  }

  function onKeyDown(event: KeyboardEvent<HTMLTextAreaElement>) {
    if (event.key === 'Enter' && (event.metaKey || event.ctrlKey)) submit();
  }

  return (
    <div className="pb-12">
      <section className="mx-auto max-w-3xl pt-8 text-center sm:pt-14">
        <p className="text-sm font-semibold tracking-wide text-emerald-700 uppercase">Orchard</p>
        <h1 className="mt-2 text-3xl font-semibold tracking-tight text-slate-900 sm:text-4xl">
          Describe what you want to build
        </h1>
        <p className="mx-auto mt-3 max-w-xl text-base text-slate-600">
          Orchard drafts a Blueprint, builds the app, tests it, deploys it to staging and checks every page in
          a real browser — live, step by step.
        </p>
      </section>

      <form
        onSubmit={submit}
        aria-label="Describe what you want to build"
        className="mx-auto mt-8 max-w-3xl overflow-hidden rounded-2xl border border-slate-200 bg-white shadow-sm focus-within:border-emerald-500 focus-within:ring-4 focus-within:ring-emerald-600/10"
      >
        <label htmlFor={promptId} className="sr-only">
          What do you want to build?
        </label>
        <textarea
          ref={textarea}
          id={promptId}
          name="prompt"
          rows={4}
          required
          maxLength={PROMPT_LIMIT}
          aria-describedby={`${promptId}-count`}
          value={prompt}
          onChange={(e) => setPrompt(e.target.value)}
          onKeyDown={onKeyDown}
          placeholder="A photo gallery where visitors can like photos…"
          aria-invalid={errors.prompt ? true : undefined}
          className="block w-full resize-none border-0 bg-transparent px-5 pt-5 pb-3 text-base text-slate-900 outline-none placeholder:text-slate-400"
        />
        <div className="flex justify-end px-5 pb-2">
          <CharCount id={`${promptId}-count`} length={prompt.length} max={PROMPT_LIMIT} />
        </div>
        {errors.prompt && <p className="px-5 pb-2 text-xs font-medium text-red-700">{errors.prompt}</p>}
        <div className="flex flex-wrap items-center gap-x-3 gap-y-2 border-t border-slate-100 bg-slate-50/70 px-4 py-3">
          <fieldset className="flex flex-wrap items-center gap-1.5">
            <legend className="sr-only">Template</legend>
            <span className="mr-1 text-xs font-medium text-slate-500">Template</span>
            {templates.data?.items.map((t) => (
              <button
                key={t.id}
                type="button"
                title={t.description}
                aria-pressed={template === t.id}
                onClick={() => setTemplate(template === t.id ? undefined : t.id)}
                className="rounded-full border border-slate-300 bg-white px-3 py-1 text-xs font-medium text-slate-700 transition hover:border-emerald-500 hover:text-emerald-800 focus-visible:outline-2 focus-visible:outline-emerald-600 aria-pressed:border-emerald-600 aria-pressed:bg-emerald-600 aria-pressed:text-white"
              >
                {t.name}
              </button>
            ))}
            {templates.isError && <span className="text-xs text-red-700">Templates unavailable</span>}
          </fieldset>
          <div className="flex items-center gap-2">
            <label htmlFor={projectId} className="text-xs font-medium text-slate-500">
              Project
            </label>
            <select
              id={projectId}
              value={project}
              onChange={(e) => setProject(e.target.value)}
              className={`${selectClass} h-8 w-48 py-1 text-xs`}
            >
              <option value="">New project</option>
              {projects.data?.items
                .filter((p) => !p.archived)
                .map((p) => (
                  <option key={p.id} value={p.slug}>
                    {p.name}
                  </option>
                ))}
            </select>
          </div>
          <label
            className="flex items-center gap-1.5 text-xs font-medium text-slate-500"
            title="Off: a new project's first build merges itself to main, and staging runs it. On: the build waits on its preview until its merge request is merged."
          >
            <input
              type="checkbox"
              checked={reviewFirst}
              onChange={(e) => setReviewFirst(e.currentTarget.checked)}
              className="size-3.5 rounded border-slate-300 text-emerald-600 focus:ring-emerald-500"
            />
            Review before main
          </label>
          <div className="ml-auto flex items-center gap-3">
            <span className="hidden text-xs text-slate-400 sm:inline">Ctrl + Enter</span>
            <Button type="submit" busy={start.isPending} disabled={!prompt.trim()}>
              Build it
            </Button>
          </div>
        </div>
      </form>

      <div className="mx-auto mt-4 max-w-3xl">
        <FormError error={errors.prompt ? null : start.error} />
      </div>

      <div className="mx-auto mt-5 flex max-w-3xl flex-wrap items-center justify-center gap-2">
        <span className="text-xs text-slate-500">Try:</span>
        {EXAMPLES.map((example) => (
          <button
            key={example}
            type="button"
            onClick={() => {
              setPrompt(example);
              textarea.current?.focus();
            }}
            className="rounded-full bg-white px-3 py-1 text-xs text-slate-600 ring-1 ring-slate-200 hover:text-slate-900 hover:ring-slate-300 focus-visible:outline-2 focus-visible:outline-emerald-600"
          >
            {example}
          </button>
        ))}
      </div>

      <RecentProjects />

      <LandingSteps />
    </div>
  );
}
