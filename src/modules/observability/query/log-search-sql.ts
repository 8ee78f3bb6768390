import { type AttributeFilter, attributeValues } from './log-filters.ts';

/** What a log search narrows by, parsed and checked. */
export interface LogSearch {
  environmentId: string;
  from: string;
  to: string;
  words: string[];
  phrases: string[];
  attributes: AttributeFilter[];
  minSeverity?: number;
  service?: string;
  traceId?: string;
  spanId?: string;
}

/**
 * The WHERE clause of a log search and its parameters, `$1…`. Words and phrases go through the
 * body's tsvector (parsed by the same 'simple' configuration the column is, so a word matches what
 * the body shows, any case); attributes through the jsonb containment index.
 */
export function logSearchWhere(search: LogSearch): { where: string; params: unknown[] } {
  const params: unknown[] = [search.environmentId, search.from, search.to];
  const add = (value: unknown) => `$${params.push(value)}`;
  const clauses = ['environment_id = $1', 'time >= $2::timestamptz', 'time < $3::timestamptz'];
  const queries = [
    ...(search.words.length ? [`plainto_tsquery('simple', ${add(search.words.join(' '))})`] : []),
    ...search.phrases.map((p) => `phraseto_tsquery('simple', ${add(p)})`),
  ];
  if (queries.length) clauses.push(`search @@ (${queries.join(' && ')})`);
  for (const { key, value } of search.attributes) {
    const alternatives = attributeValues(value).map(
      (v) => `attributes @> ${add(JSON.stringify({ [key]: v }))}::jsonb`,
    );
    clauses.push(alternatives.length > 1 ? `(${alternatives.join(' OR ')})` : alternatives[0]!);
  }
  if (search.minSeverity !== undefined) clauses.push(`severity_number >= ${add(search.minSeverity)}`);
  if (search.service) clauses.push(`service_name = ${add(search.service)}`);
  if (search.traceId) clauses.push(`trace_id = ${add(search.traceId)}`);
  if (search.spanId) clauses.push(`span_id = ${add(search.spanId)}`);
  return { where: clauses.join(' AND '), params };
}
