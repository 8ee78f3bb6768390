import { z } from 'zod';
import { type FieldIssue, ValidationError } from '../../../platform/errors.ts';

/** GitHub takes 50 annotations per check-run update; a check here keeps at most as many. */
export const MAX_ANNOTATIONS = 50;

/** Where a link may lead: an artifact Orchard serves, or an http(s) address (never `javascript:`). */
const Linkable = z
  .string()
  .min(1)
  .max(2_000)
  .refine((url) => url.startsWith('/api/artifacts/') || /^https?:\/\/[^\s]+$/.test(url), {
    message: 'must be an /api/artifacts/… path or an http(s) URL',
  });

/** A file of the repository: relative, `/`-separated, without `.` or `..` segments. */
const RepoPath = z
  .string()
  .min(1)
  .max(1_000)
  .refine((p) => !p.startsWith('/') && p.split('/').every((s) => s !== '' && s !== '.' && s !== '..'), {
    message: 'must be a path relative to the repository root (e.g. .orchard/smoke.yml)',
  })
  .refine((p) => !/[\0\n\r]/.test(p), { message: 'must not contain NUL or line breaks' });

const Line = z.number().int().min(1).max(10_000_000);

export const AnnotationScreenshot = z.object({
  name: z.string().min(1).max(200),
  url: Linkable,
});

/**
 * One finding of a check, pinned to where it comes from: a line of a file in the repository
 * (`path`, `startLine`), or, when no file says it, the page it is about (`url`). Screenshots show
 * what the check saw.
 */
export const CheckAnnotation = z
  .object({
    path: RepoPath.optional(),
    startLine: Line.optional(),
    endLine: Line.optional(),
    /** The page a file-less annotation is about. */
    url: Linkable.optional(),
    level: z.enum(['failure', 'warning', 'notice']),
    title: z.string().min(1).max(255),
    message: z.string().max(4_000),
    screenshots: z.array(AnnotationScreenshot).max(10).default([]),
  })
  .refine((a) => a.startLine === undefined || a.path !== undefined, {
    message: 'needs a path: a line is a line of a file',
    path: ['startLine'],
  })
  .refine((a) => a.endLine === undefined || (a.startLine !== undefined && a.endLine >= a.startLine), {
    message: 'must come with a startLine and not before it',
    path: ['endLine'],
  });
export type CheckAnnotation = z.output<typeof CheckAnnotation>;
export type CheckAnnotationInput = z.input<typeof CheckAnnotation>;

/** A check's details: anything the reporter keeps, and annotations in the one shape above. */
export const CheckDetails = z.looseObject({
  annotations: z
    .array(CheckAnnotation)
    .max(MAX_ANNOTATIONS, `keep at most ${MAX_ANNOTATIONS} annotations per check`)
    .optional(),
});

/** The details as they may be stored; a ValidationError names every field that is wrong. */
export function parseCheckDetails(details: Record<string, unknown>): Record<string, unknown> {
  const parsed = CheckDetails.safeParse(details);
  if (parsed.success) return parsed.data;
  const issues: FieldIssue[] = parsed.error.issues.map((i) => ({
    field: ['details', ...i.path.map(String)].join('.'),
    message: i.message,
  }));
  throw new ValidationError(
    `The check's details are invalid: ${issues.map((i) => `${i.field} ${i.message}`).join('; ')}`,
    issues,
  );
}

/** A stored check's annotations, and its other details (the view shows them apart). */
export function splitAnnotations(details: Record<string, unknown>): {
  annotations: CheckAnnotation[];
  rest: Record<string, unknown>;
} {
  const { annotations, ...rest } = details;
  // Stored ones were validated when reported; anything else (older rows) shows as none.
  const parsed = z.array(CheckAnnotation).safeParse(annotations ?? []);
  return { annotations: parsed.success ? parsed.data : [], rest };
}
