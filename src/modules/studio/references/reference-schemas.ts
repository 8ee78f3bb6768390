import { z } from 'zod';
import { COLOR_ROLES } from '../../automation/index.ts';
import { JsonPatchOp } from '../../blueprint/index.ts';
import { BlueprintIdParam } from '../schemas.ts';

const HOW =
  'send JSON {"url": "https://…"}, or the image itself as the body with Content-Type image/png, image/jpeg or image/webp';

const UrlReferenceBody = z.strictObject({
  url: z
    .url({ protocol: /^https?$/, error: 'must be an http(s) URL such as https://example.com' })
    .max(2000, 'must be at most 2000 characters'),
});
/** The raw body of an image upload (the route's parser hands it over as bytes). */
const ImageReferenceBody = z
  .any()
  .refine((body) => Buffer.isBuffer(body), HOW)
  .meta({
    type: 'string',
    format: 'binary',
    description: 'The image itself (PNG, JPEG or WebP), sent with its Content-Type.',
  });

/** `{url}` to capture a page, or an image's bytes; the messages say which of the two to send. */
export const AddReferenceBody = z.union([UrlReferenceBody, ImageReferenceBody], {
  error: (issue) => {
    const input = issue.input as unknown;
    const json = typeof input === 'object' && input !== null && !Buffer.isBuffer(input);
    const first = (issue as { errors?: { path: PropertyKey[]; message: string }[][] }).errors?.[0]?.[0];
    if (json && 'url' in input && first)
      return first.path.length ? `${first.path.join('.')} ${first.message}` : first.message;
    return HOW;
  },
});

export const ReferenceParams = BlueprintIdParam.extend({
  referenceId: z.uuid('must be a design reference id (uuid)'),
});

const Measure = z.object({ value: z.string(), count: z.number() });
const Usage = { share: z.number(), heading: z.boolean(), body: z.boolean() };

export const DesignAnalysisView = z.object({
  palette: z.object({
    colors: z.array(
      z.object({
        hex: z.string(),
        share: z.number(),
        uses: z.array(z.enum(['background', 'text', 'border', 'image'])),
        role: z.enum(COLOR_ROLES).optional(),
      }),
    ),
    roles: z.partialRecord(z.enum(COLOR_ROLES), z.string()),
  }),
  typography: z
    .object({
      families: z.array(z.object({ family: z.string(), ...Usage })),
      sizes: z.array(z.object({ px: z.number(), ...Usage })),
      body: z.object({ family: z.string(), px: z.number() }).nullable(),
      headings: z.object({ family: z.string(), sizes: z.array(z.number()) }).nullable(),
    })
    .nullable(),
  spacing: z.array(Measure),
  radii: z.array(Measure),
});

const TokenMap = z.record(z.string(), z.string());
export const ProposedTokensView = z.object({
  colors: TokenMap,
  fonts: TokenMap,
  // Proposals stored before the type scale was proposed have none.
  fontSizes: TokenMap.default({}),
  radii: TokenMap,
  spacing: TokenMap,
});

/** Where a proposed patch comes from: recorded in the Blueprint's history when it is applied. */
export const ReferenceSource = z.object({
  kind: z.enum(['url', 'image']),
  url: z.string().optional(),
  referenceId: z.string(),
});
export type ReferenceSource = z.infer<typeof ReferenceSource>;

export const ReferenceView = z.object({
  id: z.string(),
  blueprintId: z.string(),
  kind: z.enum(['url', 'image']),
  url: z.string().nullable(),
  /** The page's title (captures only). */
  title: z.string().nullable(),
  /** The screenshot or the uploaded image, and a 320 px WebP thumbnail. */
  imageUrl: z.string(),
  thumbnailUrl: z.string(),
  contentType: z.string(),
  width: z.number(),
  height: z.number(),
  analysis: DesignAnalysisView,
  /** Design tokens proposed from it, as the JSON Patch that applies them (PATCH `applyUrl`). */
  proposal: z.object({
    tokens: ProposedTokensView,
    patch: z.array(JsonPatchOp),
    source: ReferenceSource,
    /** The Blueprint version the patch was made against. */
    blueprintVersion: z.number(),
    applyUrl: z.string(),
  }),
  /** The Blueprint version its patch made, once applied. */
  appliedVersion: z.number().nullable(),
  createdBy: z.string().nullable(),
  createdAt: z.string(),
});
export type ReferenceView = z.infer<typeof ReferenceView>;

export const ReferencePage = z.object({ items: z.array(ReferenceView), nextCursor: z.string().nullable() });
