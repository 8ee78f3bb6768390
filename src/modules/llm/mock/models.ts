/** Model listings in each provider's shape; Anthropic's SDK sends `anthropic-version`, OpenAI's does not. */
export function listModels(models: string[], anthropicStyle: boolean, now: Date): unknown {
  if (anthropicStyle) {
    const data = models.map((id) => ({ type: 'model', id, display_name: id, created_at: now.toISOString() }));
    return { data, has_more: false, first_id: data[0]?.id ?? null, last_id: data.at(-1)?.id ?? null };
  }
  const created = Math.floor(now.getTime() / 1000);
  return {
    object: 'list',
    data: models.map((id) => ({ id, object: 'model', created, owned_by: 'orchard-mock' })),
  };
}
