/**
 * A search hit's passage with its matched terms marked: the API wraps them in «» (PostgreSQL's
 * ts_headline); they become <mark>, the rest stays text.
 */
export function SearchMatch({ text }: { text: string }) {
  const parts = text.split(/«|»/);
  return (
    <p className="mt-1 line-clamp-3 text-sm break-words text-slate-600" data-testid="search-match">
      {parts.map((part, i) =>
        i % 2 === 1 ? (
          // biome-ignore lint/suspicious/noArrayIndexKey: the parts of one fixed string, in order
          <mark key={i} className="rounded-sm bg-amber-100 px-0.5 text-slate-900">
            {part}
          </mark>
        ) : (
          part
        ),
      )}
    </p>
  );
}
