import { readFile } from 'node:fs/promises';
import YAML from 'yaml';
import type { z } from 'zod';
import { type FieldIssue, ValidationError } from '../../../platform/errors.ts';
import type { MatchFacts } from './conversation.ts';
import { matchesRequest } from './scenario-match.ts';
import { type ParsedScenarioEntry, Scenario } from './schemas.ts';

/** What the mock says when no scenario entry applies. */
export const DEFAULT_REPLY = 'mock reply';

/** Validates a scenario (already parsed from YAML/JSON); the error names the entry index and field. */
export function parseScenario(input: unknown, source = 'scenario'): ParsedScenarioEntry[] {
  const result = Scenario.safeParse(input);
  if (result.success) return result.data;
  const issues = result.error.issues.map(toFieldIssue);
  const summary = issues.map((i) => `${i.field}: ${i.message}`).join('; ');
  throw new ValidationError(`Invalid mock LLM ${source}: ${summary}`, issues);
}

/** Reads and validates a YAML (or JSON, which is YAML) scenario file: a list of entries. */
export async function loadScenarioFile(file: string): Promise<ParsedScenarioEntry[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new ValidationError(`Cannot read mock LLM scenario file ${file}: ${(error as Error).message}`);
  }
  let data: unknown;
  try {
    data = YAML.parse(text);
  } catch (error) {
    throw new ValidationError(
      `Mock LLM scenario file ${file} is not valid YAML: ${(error as Error).message}`,
    );
  }
  return parseScenario(data ?? [], `scenario file ${file}`);
}

function toFieldIssue(issue: z.core.$ZodIssue): FieldIssue {
  const [index, ...rest] = issue.path;
  if (typeof index !== 'number') {
    return { field: 'scenario', message: `${issue.message} (a scenario is a list of entries)` };
  }
  // A typo such as `replay:` is reported as the field it names.
  const unknown = issue.code === 'unrecognized_keys';
  const names = unknown ? [...rest, issue.keys.join(', ')] : rest;
  const field = names.length ? `, field "${names.map(String).join('.')}"` : '';
  const message = unknown ? 'unknown field (a typo?)' : issue.message;
  return { field: `entry ${index}${field}`, message };
}

/**
 * Hands out scenario entries, one per request:
 * 1. the first entry whose `match` the request meets and that is not used up wins (it is used up by
 *    answering, unless `match.repeat` is set);
 * 2. otherwise the next entry without `match`, in order; the last one repeats forever;
 * 3. with no such entry at all, `null` (the caller answers DEFAULT_REPLY).
 * Every request takes an entry, including those that end in a fault, so a retry gets the next one.
 */
export class ScenarioPlayer {
  private entries: ParsedScenarioEntry[] = [];
  private used = new Set<number>();
  private cursor = 0;

  constructor(entries: ParsedScenarioEntry[] = []) {
    this.replace(entries);
  }

  replace(entries: ParsedScenarioEntry[]) {
    this.entries = entries;
    this.rewind();
  }

  rewind() {
    this.used.clear();
    this.cursor = 0;
  }

  next(facts: MatchFacts): ParsedScenarioEntry | null {
    const matched = this.entries.findIndex(
      (entry, i) => entry.match && !this.used.has(i) && matchesRequest(entry.match, facts),
    );
    const hit = this.entries[matched];
    if (hit) {
      if (!hit.match?.repeat) this.used.add(matched);
      return hit;
    }
    const sequence = this.entries.filter((entry) => !entry.match);
    const entry = sequence[Math.min(this.cursor, sequence.length - 1)];
    this.cursor += 1;
    return entry ?? null;
  }
}
