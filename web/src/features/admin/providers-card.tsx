import { useState } from 'react';
import type { LlmProviders } from '../../api/admin-types.ts';
import { ErrorAlert } from '../../widgets/alert.tsx';
import { Button } from '../../widgets/button.tsx';
import { Card } from '../../widgets/card.tsx';
import { useAddProvider, useEditProvider, useRemoveProvider } from './llm-provider-queries.ts';
import { ProviderForm } from './provider-form.tsx';
import { ProviderItem } from './provider-item.tsx';

/** LLM providers: those of the config file (read-only here) and those added here (editable). */
export function ProvidersCard({ providers }: { providers: LlmProviders['items'] }) {
  const [adding, setAdding] = useState(false);
  const [editing, setEditing] = useState<string | null>(null);
  const add = useAddProvider();
  const edit = useEditProvider();
  const remove = useRemoveProvider();
  return (
    <Card
      title="Providers"
      description="Where model calls go. Calls fall back along an alias's chain when a provider fails."
      flush
      actions={
        !adding && (
          <Button variant="secondary" size="sm" onClick={() => setAdding(true)}>
            Add a provider
          </Button>
        )
      }
    >
      {adding && (
        <div className="border-b border-slate-100 px-5 py-4">
          <ProviderForm
            busy={add.isPending}
            error={add.error}
            onSubmit={(value) => add.mutate(value, { onSuccess: () => setAdding(false) })}
            onCancel={() => setAdding(false)}
          />
        </div>
      )}
      {remove.isError && (
        <div className="px-5 pt-4">
          <ErrorAlert error={remove.error} />
        </div>
      )}
      {providers.length === 0 ? (
        <p className="px-5 py-6 text-sm text-slate-500">
          No provider yet: add one here, or list them under llm.providers in the config file.
        </p>
      ) : (
        <ul aria-label="LLM providers" className="divide-y divide-slate-100">
          {providers.map((p) =>
            editing === p.name ? (
              <li key={p.name} className="px-5 py-4">
                <ProviderForm
                  provider={p}
                  busy={edit.isPending}
                  error={edit.error}
                  onSubmit={(value) => edit.mutate(value, { onSuccess: () => setEditing(null) })}
                  onCancel={() => setEditing(null)}
                />
              </li>
            ) : (
              <ProviderItem
                key={p.name}
                provider={p}
                removing={remove.isPending && remove.variables === p.name}
                onEdit={() => setEditing(p.name)}
                onRemove={() => remove.mutate(p.name)}
              />
            ),
          )}
        </ul>
      )}
    </Card>
  );
}
