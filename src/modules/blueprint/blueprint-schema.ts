/**
 * The Blueprint: the structured, reviewable description of what to build. Versioned by
 * `schemaVersion`; `migrateBlueprint` is where older shapes are upgraded. Cross-field rules
 * (unique names, references that must exist) live in blueprint-rules.ts.
 */
import type { z } from 'zod';
import { ValidationError } from '../../platform/errors.ts';
import { checkBlueprint } from './blueprint-rules.ts';
import { BLUEPRINT_SCHEMA_VERSION, BlueprintShape } from './blueprint-shape.ts';

export * from './blueprint-shape.ts';

export const Blueprint = BlueprintShape.superRefine(checkBlueprint);
export type Blueprint = z.infer<typeof Blueprint>;
export type BlueprintInput = z.input<typeof Blueprint>;

/** A valid, empty draft. */
export function emptyBlueprint(feature = ''): Blueprint {
  return {
    schemaVersion: BLUEPRINT_SCHEMA_VERSION,
    feature: feature.trim().slice(0, 80),
    summary: '',
    sections: {
      dataModel: { entities: [] },
      apiEndpoints: [],
      pages: [],
      uiComponents: [],
      designSystem: { tokens: { colors: {}, fonts: {}, fontSizes: {}, radii: {}, spacing: {} } },
    },
    userStories: [],
    references: [],
    assumptions: [],
    openQuestions: [],
  };
}

/** Field issues for a zod error, named by dotted path (`sections.pages.0.path`). */
export function blueprintIssues(error: z.ZodError, prefix = ''): { field: string; message: string }[] {
  return error.issues.map((issue) => ({
    field: [prefix, ...issue.path.map(String)].filter(Boolean).join('.') || '(blueprint)',
    message: issue.message,
  }));
}

/** Parses a Blueprint or throws a ValidationError whose message names every bad path. */
export function parseBlueprint(raw: unknown, what = 'Blueprint'): Blueprint {
  const result = Blueprint.safeParse(raw);
  if (result.success) return result.data;
  const issues = blueprintIssues(result.error);
  const listed = issues
    .slice(0, 5)
    .map((i) => `${i.field}: ${i.message}`)
    .join('; ');
  const more = issues.length > 5 ? ` (and ${issues.length - 5} more)` : '';
  throw new ValidationError(`${what} is invalid: ${listed}${more}`, issues);
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Upgrades a stored or submitted Blueprint of any known version to the current one and validates it.
 * A missing version means a pre-versioned draft (treated as v0: missing sections are filled in);
 * a version newer than this Orchard is refused with a message saying so.
 */
export function migrateBlueprint(raw: unknown): Blueprint {
  if (!isRecord(raw)) throw new ValidationError('A Blueprint must be a JSON object');
  const version = raw.schemaVersion ?? 0;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 0) {
    throw new ValidationError('schemaVersion must be a whole number', [
      { field: 'schemaVersion', message: 'must be a whole number' },
    ]);
  }
  if (version > BLUEPRINT_SCHEMA_VERSION) {
    throw new ValidationError(
      `Blueprint schemaVersion ${version} is newer than this Orchard understands (${BLUEPRINT_SCHEMA_VERSION}); upgrade Orchard`,
      [{ field: 'schemaVersion', message: `must be at most ${BLUEPRINT_SCHEMA_VERSION}` }],
    );
  }
  let current: Record<string, unknown> = raw;
  if (version === 0) current = fromV0(current);
  // Later versions chain here: if (version <= 1) current = fromV1(current); …
  return parseBlueprint(current);
}

/** v0: drafts saved before the schema was versioned; the same shape, every section optional. */
function fromV0(raw: Record<string, unknown>): Record<string, unknown> {
  return { ...raw, schemaVersion: BLUEPRINT_SCHEMA_VERSION };
}
