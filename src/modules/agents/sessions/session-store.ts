/** agent_sessions and agent_session_entries (migration 0015): the session records and their transcripts. */
import { type Db, type DbClient, type Queryable, withTransaction } from '../../../platform/db/pool.ts';
import { notify } from '../../../platform/events/index.ts';
import type { Blueprint, TemplateId } from '../../blueprint/index.ts';
import type { AgentBudget } from '../agent-runtime.ts';
import type { SessionProfile } from '../profile/session-profile.ts';

/** NOTIFY channel: the payload is the id of a session whose transcript grew or whose state changed. */
export const SESSION_CHANNEL = 'orchard_agent_sessions';

export type SessionStatus = 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';
export type EntryKind =
  | 'message'
  | 'tool-call'
  | 'tool-result'
  | 'command'
  | 'file'
  | 'usage'
  | 'status'
  | 'log';

export interface DiffStat {
  files: number;
  insertions: number;
  deletions: number;
  paths: { path: string; insertions: number; deletions: number }[];
}

export interface SessionRow {
  id: string;
  project_id: string;
  operation_id: string | null;
  runtime: string;
  model: string | null;
  principal_id: string | null;
  started_by: string | null;
  token_id: string | null;
  status: SessionStatus;
  stop_reason: string | null;
  title: string;
  instructions: string;
  context: SessionContext;
  budget: AgentBudget;
  steps: number;
  input_tokens: string;
  output_tokens: string;
  cost_usd: string;
  wall_ms: string;
  branch: string;
  base_sha: string | null;
  head_sha: string | null;
  checkpoint_sha: string | null;
  diff_stat: DiffStat | null;
  merge_request_number: number | null;
  issue_number: number | null;
  summary: string | null;
  error: string | null;
  created_at: Date;
  updated_at: Date;
  started_at: Date | null;
  finished_at: Date | null;
}

export interface EntryRow {
  id: string;
  session_id: string;
  seq: number;
  run: number;
  kind: EntryKind;
  data: Record<string, unknown>;
  blob_key: string | null;
  created_at: Date;
}

/** What the agent works from besides the instructions (the Studio passes its Blueprint and spec). */
export interface SessionContext {
  spec?: string;
  blueprint?: Blueprint;
  template?: TemplateId;
  /** Where the session's branch starts when it does not exist yet (default: the default branch). */
  baseRef?: string;
  /** `commands.allow` of the project's agent profile: the only commands `run` may run. */
  allowCommands?: string[];
  /** `network.allow` of the project's agent profile: the hosts the agent's commands may reach. */
  networkAllow?: string[];
  /** Setup, its cache key's inputs and env of the profile on the default branch (secret names only). */
  profile?: SessionProfile;
}

export interface NewSession {
  projectId: string;
  runtime: string;
  model: string | null;
  startedBy: string | null;
  title: string;
  instructions: string;
  context: SessionContext;
  budget: AgentBudget;
  branch: string;
  issueNumber?: number;
}

export async function insertSession(db: Queryable, s: NewSession): Promise<SessionRow> {
  const { rows } = await db.query<SessionRow>(
    `INSERT INTO agent_sessions (project_id, runtime, model, started_by, status, title, instructions, context, budget, branch, issue_number)
     VALUES ($1, $2, $3, $4, 'queued', $5, $6, $7, $8, $9, $10) RETURNING *`,
    [
      s.projectId,
      s.runtime,
      s.model,
      s.startedBy,
      s.title,
      s.instructions,
      JSON.stringify(s.context),
      JSON.stringify(s.budget),
      s.branch,
      s.issueNumber ?? null,
    ],
  );
  return rows[0]!;
}

export async function findSession(db: Queryable, id: string): Promise<SessionRow | undefined> {
  const { rows } = await db.query<SessionRow>('SELECT * FROM agent_sessions WHERE id = $1', [id]);
  return rows[0];
}

/** What the LLM proxy's budget gate reads before every request of a session: no more. */
export async function findSessionBudget(
  db: Queryable,
  id: string,
): Promise<Pick<SessionRow, 'status' | 'budget' | 'project_id' | 'started_by'> | undefined> {
  const { rows } = await db.query<Pick<SessionRow, 'status' | 'budget' | 'project_id' | 'started_by'>>(
    'SELECT status, budget, project_id, started_by FROM agent_sessions WHERE id = $1',
    [id],
  );
  return rows[0];
}

/** The latest session on a branch started since `since`. */
export async function findSessionOnBranch(
  db: Queryable,
  projectId: string,
  branch: string,
  since: Date,
): Promise<SessionRow | undefined> {
  const { rows } = await db.query<SessionRow>(
    `SELECT * FROM agent_sessions WHERE project_id = $1 AND branch = $2 AND created_at >= $3
     ORDER BY created_at DESC, id DESC LIMIT 1`,
    [projectId, branch, since],
  );
  return rows[0];
}

export async function findSessionByOperation(
  db: Queryable,
  operationId: string,
): Promise<SessionRow | undefined> {
  const { rows } = await db.query<SessionRow>('SELECT * FROM agent_sessions WHERE operation_id = $1', [
    operationId,
  ]);
  return rows[0];
}

/** The project's newest session that is queued or running on `branch` (or for issue `issueNumber`). */
export async function findActiveSession(
  db: Queryable,
  projectId: string,
  on: { branch: string } | { issueNumber: number },
): Promise<SessionRow | undefined> {
  const { rows } = await db.query<SessionRow>(
    `SELECT * FROM agent_sessions WHERE project_id = $1 AND status IN ('queued', 'running')
       AND (branch = $2 OR issue_number = $3) ORDER BY created_at DESC LIMIT 1`,
    [projectId, 'branch' in on ? on.branch : null, 'issueNumber' in on ? on.issueNumber : null],
  );
  return rows[0];
}

/** The project's newest session on `branch`, whatever its state. */
export async function findLatestSessionOn(
  db: Queryable,
  projectId: string,
  branch: string,
): Promise<SessionRow | undefined> {
  const { rows } = await db.query<SessionRow>(
    'SELECT * FROM agent_sessions WHERE project_id = $1 AND branch = $2 ORDER BY created_at DESC LIMIT 1',
    [projectId, branch],
  );
  return rows[0];
}

type Patch = Partial<{
  operation_id: string;
  principal_id: string;
  token_id: string | null;
  status: SessionStatus;
  stop_reason: string | null;
  steps: number;
  input_tokens: number;
  output_tokens: number;
  cost_usd: number;
  wall_ms: number;
  base_sha: string;
  head_sha: string;
  checkpoint_sha: string;
  diff_stat: DiffStat;
  merge_request_number: number;
  summary: string | null;
  error: string | null;
  started_at: Date;
  finished_at: Date | null;
}>;

/** Applies `patch`; returns the session as it now stands (undefined for an unknown id or no change). */
export async function updateSession(
  db: Queryable,
  id: string,
  patch: Patch,
): Promise<SessionRow | undefined> {
  const keys = Object.keys(patch) as (keyof Patch)[];
  if (!keys.length) return undefined;
  const sets = keys.map((k, i) => `${k} = $${i + 2}`);
  const values = keys.map((k) => (k === 'diff_stat' ? JSON.stringify(patch[k]) : patch[k]));
  const { rows } = await db.query<SessionRow>(
    `UPDATE agent_sessions SET ${sets.join(', ')}, updated_at = now() WHERE id = $1 RETURNING *`,
    [id, ...values],
  );
  return rows[0];
}

export async function listSessions(
  db: Queryable,
  filter: { projectIds: string[] | null; before?: { createdAt: Date; id: string }; limit: number },
): Promise<SessionRow[]> {
  const { rows } = await db.query<SessionRow>(
    `SELECT * FROM agent_sessions WHERE ($1::uuid[] IS NULL OR project_id = ANY($1))
       AND ($2::timestamptz IS NULL OR (created_at, id) < ($2, $3::uuid))
     ORDER BY created_at DESC, id DESC LIMIT $4`,
    [filter.projectIds, filter.before?.createdAt ?? null, filter.before?.id ?? null, filter.limit],
  );
  return rows;
}

export interface NewEntry {
  kind: EntryKind;
  data: Record<string, unknown>;
  blobKey?: string;
}

/**
 * Appends entries after the session's last, in the caller's transaction or one of its own: the
 * session row is locked first, so a follow-up message and the running agent never take the same
 * seq, and a checkpoint recorded with an entry commits with it.
 */
export async function appendEntries(
  db: Db | DbClient,
  sessionId: string,
  run: number,
  entries: NewEntry[],
  also?: (tx: DbClient) => Promise<void>,
): Promise<EntryRow[]> {
  if (!entries.length) return [];
  return withTransaction(db, async (tx) => {
    await tx.query('SELECT 1 FROM agent_sessions WHERE id = $1 FOR UPDATE', [sessionId]);
    const { rows } = await tx.query<EntryRow>(
      `INSERT INTO agent_session_entries (session_id, seq, run, kind, data, blob_key)
       SELECT $1, (SELECT coalesce(max(seq), 0) FROM agent_session_entries WHERE session_id = $1) + e.n, $2, e.kind, e.data, e.blob_key
         FROM unnest($3::text[], $4::jsonb[], $5::text[]) WITH ORDINALITY AS e(kind, data, blob_key, n)
       RETURNING *`,
      [
        sessionId,
        run,
        entries.map((e) => e.kind),
        entries.map((e) => JSON.stringify(e.data)),
        entries.map((e) => e.blobKey ?? null),
      ],
    );
    await also?.(tx);
    await notify(tx, SESSION_CHANNEL, sessionId);
    return rows.sort((a, b) => a.seq - b.seq);
  });
}

export async function readEntries(
  db: Queryable,
  sessionId: string,
  afterId = 0,
  limit = 1000,
): Promise<EntryRow[]> {
  const { rows } = await db.query<EntryRow>(
    'SELECT * FROM agent_session_entries WHERE session_id = $1 AND id > $2 ORDER BY id LIMIT $3',
    [sessionId, afterId, limit],
  );
  return rows;
}
