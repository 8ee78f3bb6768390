import type { Queryable } from '../../platform/db/pool.ts';
import type { FeaturePhase, FeatureTransition } from './feature-machine.ts';
import type { Classification, SdlcKind } from './sdlc/sdlc-kinds.ts';

/** One build of a Blueprint: its SDLC phase, branch, merge request and operation. */
export interface FeatureRow {
  id: string;
  project_id: string;
  blueprint_id: string;
  slug: string;
  phase: FeaturePhase;
  history: FeatureTransition[];
  branch: string | null;
  merge_request_number: number | null;
  operation_id: string | null;
  spec: string | null;
  /** The Blueprint version this build built (set when its spec is rendered). */
  blueprint_version: number | null;
  /** What the board calls it: the Blueprint's feature, or the change request's first line. */
  title: string | null;
  kind: SdlcKind;
  /** The phases its kind needs, in order, ending in done. */
  phases: FeaturePhase[];
  classification: Classification | null;
  assignee_id: string | null;
  /** An agent runtime working on it (the build's implementer) when no user is assigned. */
  assignee_agent: string | null;
  created_at: Date;
  updated_at: Date;
}

export async function insertFeature(
  db: Queryable,
  f: {
    projectId: string;
    blueprintId: string;
    slug: string;
    branch: string;
    title: string;
    classification: Classification;
    assigneeAgent?: string | null;
  },
): Promise<FeatureRow> {
  const { rows } = await db.query<FeatureRow>(
    `INSERT INTO features (project_id, blueprint_id, slug, branch, phase, title, kind, phases, classification, assignee_agent)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING *`,
    [
      f.projectId,
      f.blueprintId,
      f.slug,
      f.branch,
      f.classification.phases[0],
      f.title,
      f.classification.kind,
      f.classification.phases,
      JSON.stringify(f.classification),
      f.assigneeAgent ?? null,
    ],
  );
  return rows[0]!;
}

export async function findFeature(
  db: Queryable,
  id: string,
  forUpdate = false,
): Promise<FeatureRow | undefined> {
  const { rows } = await db.query<FeatureRow>(
    `SELECT * FROM features WHERE id = $1${forUpdate ? ' FOR UPDATE' : ''}`,
    [id],
  );
  return rows[0];
}

export async function latestFeature(db: Queryable, blueprintId: string): Promise<FeatureRow | undefined> {
  const { rows } = await db.query<FeatureRow>(
    'SELECT * FROM features WHERE blueprint_id = $1 ORDER BY created_at DESC, id DESC LIMIT 1',
    [blueprintId],
  );
  return rows[0];
}

/** The project's newest build that finished (verified): its Blueprint says what the app on main is for. */
export async function latestDoneFeatureOfProject(
  db: Queryable,
  projectId: string,
): Promise<FeatureRow | undefined> {
  const { rows } = await db.query<FeatureRow>(
    `SELECT * FROM features WHERE project_id = $1 AND phase = 'done' ORDER BY updated_at DESC, id DESC LIMIT 1`,
    [projectId],
  );
  return rows[0];
}

export async function listFeatureRows(
  db: Queryable,
  blueprintId: string,
  limit: number,
  before?: [string, string],
) {
  const { rows } = await db.query<FeatureRow>(
    `SELECT * FROM features WHERE blueprint_id = $1
       AND ($3::timestamptz IS NULL OR (created_at, id) < ($3::timestamptz, $4::uuid))
     ORDER BY created_at DESC, id DESC LIMIT $2`,
    [blueprintId, limit, before?.[0] ?? null, before?.[1] ?? null],
  );
  return rows;
}

/** Whether another Blueprint of the project already builds on `orchard/<slug>`. */
/** The Blueprint's latest feature other than `exceptId` (the build before this one). */
export async function previousFeature(
  db: Queryable,
  blueprintId: string,
  exceptId: string,
): Promise<FeatureRow | undefined> {
  const { rows } = await db.query<FeatureRow>(
    'SELECT * FROM features WHERE blueprint_id = $1 AND id <> $2 ORDER BY created_at DESC, id DESC LIMIT 1',
    [blueprintId, exceptId],
  );
  return rows[0];
}

export async function featureSlugTaken(db: Queryable, projectId: string, slug: string, blueprintId: string) {
  const { rowCount } = await db.query(
    'SELECT 1 FROM features WHERE project_id = $1 AND slug = $2 AND blueprint_id <> $3 LIMIT 1',
    [projectId, slug, blueprintId],
  );
  return (rowCount ?? 0) > 0;
}

export async function updateFeature(
  db: Queryable,
  id: string,
  p: {
    phase?: FeaturePhase;
    history?: FeatureTransition[];
    spec?: string;
    mergeRequestNumber?: number;
    operationId?: string;
    blueprintVersion?: number;
  },
): Promise<FeatureRow> {
  const { rows } = await db.query<FeatureRow>(
    `UPDATE features SET phase = COALESCE($2, phase), history = COALESCE($3, history), spec = COALESCE($4, spec),
       merge_request_number = COALESCE($5, merge_request_number), operation_id = COALESCE($6, operation_id),
       blueprint_version = COALESCE($7, blueprint_version), updated_at = now()
     WHERE id = $1 RETURNING *`,
    [
      id,
      p.phase ?? null,
      p.history ? JSON.stringify(p.history) : null,
      p.spec ?? null,
      p.mergeRequestNumber ?? null,
      p.operationId ?? null,
      p.blueprintVersion ?? null,
    ],
  );
  return rows[0]!;
}
