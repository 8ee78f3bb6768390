import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { FormEvent } from 'react';
import { ApiError, api, seg } from '../../api/client.ts';
import type { Webhook, WebhookEvent } from '../../api/pipeline-types.ts';
import { keys } from '../../api/query-keys.ts';
import { FormError } from '../../widgets/alert.tsx';
import { Button } from '../../widgets/button.tsx';
import { TextField } from '../../widgets/field.tsx';

export const WEBHOOK_EVENTS: Array<{ event: WebhookEvent; help: string }> = [
  { event: 'push', help: 'branches updated' },
  { event: 'pipeline', help: 'a pipeline finished' },
  { event: 'merge_request', help: 'opened, updated, merged, closed, commented' },
  { event: 'issue', help: 'opened, edited, closed, commented' },
  { event: 'check_run', help: "a commit's check began or ended (the tests, the browser robot)" },
];

export function WebhookForm({ slug }: { slug: string }) {
  const client = useQueryClient();
  const create = useMutation({
    mutationFn: (body: { url: string; secret: string; events: WebhookEvent[] }) =>
      api.post<Webhook>(`/api/projects/${seg(slug)}/webhooks`, body),
    onSuccess: () => client.invalidateQueries({ queryKey: keys.webhooks(slug) }),
  });
  const errors = create.error instanceof ApiError ? create.error.fieldErrors() : {};
  const eventsError = Object.entries(errors).find(([k]) => k.startsWith('events'))?.[1];

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const formElement = event.currentTarget;
    const form = new FormData(formElement);
    create.mutate(
      {
        url: String(form.get('url') ?? '').trim(),
        secret: String(form.get('secret') ?? ''),
        events: form.getAll('events').map(String) as WebhookEvent[],
      },
      { onSuccess: () => formElement.reset() },
    );
  }

  return (
    <form onSubmit={submit} aria-label="Add a webhook" className="space-y-4">
      <FormError error={create.error} />
      <TextField
        label="Payload URL"
        name="url"
        type="url"
        required
        placeholder="https://ci.example.com/hooks/orchard"
        error={errors.url}
      />
      <TextField
        label="Secret"
        name="secret"
        type="password"
        required
        minLength={8}
        autoComplete="new-password"
        hint="Signs each delivery (X-Orchard-Signature-256, X-Hub-Signature-256 and Standard Webhooks headers). Never shown again."
        error={errors.secret}
      />
      <fieldset aria-describedby={eventsError ? 'webhook-events-error' : undefined}>
        <legend className="text-sm font-medium text-slate-800">Events</legend>
        <div className="mt-2 space-y-2">
          {WEBHOOK_EVENTS.map((e) => (
            <label key={e.event} className="flex items-start gap-2 text-sm text-slate-700">
              <input
                type="checkbox"
                name="events"
                value={e.event}
                defaultChecked={e.event === 'push'}
                className="mt-0.5 size-4 shrink-0 rounded border-slate-300 accent-emerald-700"
              />
              <span>
                <span className="font-medium">{e.event}</span>{' '}
                <span className="text-slate-500">— {e.help}</span>
              </span>
            </label>
          ))}
        </div>
        {eventsError && (
          <p id="webhook-events-error" className="mt-1.5 text-xs font-medium text-red-700">
            {eventsError}
          </p>
        )}
      </fieldset>
      <Button type="submit" busy={create.isPending}>
        Add webhook
      </Button>
    </form>
  );
}
