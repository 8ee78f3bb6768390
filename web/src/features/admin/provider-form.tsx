import { type FormEvent, useId, useState } from 'react';
import type { CreateProviderBody, LlmProvider } from '../../api/admin-types.ts';
import { ApiError } from '../../api/client.ts';
import { FormError } from '../../widgets/alert.tsx';
import { Button } from '../../widgets/button.tsx';
import { selectClass, TextAreaField, TextField } from '../../widgets/field.tsx';
import { modelsToText, textToModels } from './provider-models.ts';

const KINDS: Array<LlmProvider['kind']> = ['anthropic', 'openai-compatible', 'gemini'];

/** What the form sends: a new provider whole, an edit only what it changes (`apiKey: null` removes it). */
export type ProviderFormValue = Omit<CreateProviderBody, 'apiKey'> & { apiKey?: string | null };

/**
 * Add a provider, or edit one added here (`provider`): kind, base URL, key and models. The key is
 * write-only: it is stored encrypted and never shown; leaving the field empty keeps it.
 */
export function ProviderForm({
  provider,
  busy,
  error,
  onSubmit,
  onCancel,
}: {
  provider?: LlmProvider;
  busy: boolean;
  error: unknown;
  onSubmit: (value: ProviderFormValue) => void;
  onCancel?: () => void;
}) {
  const id = useId();
  const [modelsError, setModelsError] = useState<string | undefined>();
  const errors = error instanceof ApiError ? error.fieldErrors() : {};

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const parsed = textToModels(String(form.get('models') ?? ''));
    if ('error' in parsed) {
      setModelsError(parsed.error);
      return;
    }
    setModelsError(undefined);
    const key = String(form.get('apiKey') ?? '');
    onSubmit({
      name: provider?.name ?? String(form.get('name') ?? '').trim(),
      kind: String(form.get('kind')) as LlmProvider['kind'],
      baseUrl: String(form.get('baseUrl') ?? '').trim(),
      models: parsed.models,
      ...(form.get('removeKey') ? { apiKey: null } : key ? { apiKey: key } : {}),
    });
  }

  return (
    <form
      onSubmit={submit}
      className="space-y-4"
      aria-label={provider ? `Edit provider ${provider.name}` : 'Add a provider'}
    >
      <FormError error={error} />
      <div className="grid grid-cols-1 gap-4 sm:grid-cols-3">
        {!provider && (
          <TextField
            label="Name"
            name="name"
            required
            maxLength={63}
            placeholder="anthropic"
            error={errors.name}
          />
        )}
        <div className="space-y-1.5">
          <label htmlFor={`${id}-kind`} className="block text-sm font-medium text-slate-800">
            Kind
          </label>
          <select
            id={`${id}-kind`}
            name="kind"
            defaultValue={provider?.kind ?? 'anthropic'}
            className={selectClass}
          >
            {KINDS.map((k) => (
              <option key={k} value={k}>
                {k}
              </option>
            ))}
          </select>
        </div>
        <TextField
          label="Base URL"
          name="baseUrl"
          type="url"
          required
          defaultValue={provider?.baseUrl}
          placeholder="https://api.anthropic.com/v1"
          error={errors.baseUrl}
        />
      </div>
      <TextField
        label="API key"
        name="apiKey"
        type="password"
        autoComplete="off"
        optional
        placeholder={provider?.apiKey.configured ? 'unchanged' : 'env:NAME, secret:NAME or the key itself'}
        hint="The key itself is stored encrypted and never shown again; env:NAME reads the server's environment, secret:NAME a stored LLM key."
        error={errors.apiKey}
      />
      {provider?.apiKey.configured && (
        <label className="flex items-center gap-2 text-sm text-slate-700">
          <input
            type="checkbox"
            name="removeKey"
            className="size-4 rounded border-slate-300 accent-emerald-700"
          />
          Remove the key
        </label>
      )}
      <TextAreaField
        label="Models"
        name="models"
        rows={4}
        defaultValue={provider ? modelsToText(provider.models) : ''}
        placeholder="claude-sonnet-4 3 15"
        hint="One per line: model id, then input and output prices in USD per million tokens; optionally cachedInput=…, contextWindow=…, prefill=true."
        error={modelsError ?? errors.models}
        className="font-mono"
      />
      <div className="flex flex-wrap gap-2">
        <Button type="submit" busy={busy}>
          {provider ? 'Save provider' : 'Add provider'}
        </Button>
        {onCancel && (
          <Button variant="ghost" onClick={onCancel}>
            Cancel
          </Button>
        )}
      </div>
    </form>
  );
}
