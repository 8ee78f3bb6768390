import type { Queryable } from '../../../platform/db/pool.ts';
import type { Classification } from './sdlc-kinds.ts';

export interface IssueClassificationRow {
  issue_id: string;
  project_id: string;
  classification: Classification;
  text_hash: string;
  updated_at: Date;
}

export async function findIssueClassification(
  db: Queryable,
  issueId: string,
): Promise<IssueClassificationRow | undefined> {
  const { rows } = await db.query<IssueClassificationRow>(
    'SELECT * FROM issue_classifications WHERE issue_id = $1',
    [issueId],
  );
  return rows[0];
}

export async function upsertIssueClassification(
  db: Queryable,
  row: { issueId: string; projectId: string; classification: Classification; textHash: string },
): Promise<IssueClassificationRow> {
  const { rows } = await db.query<IssueClassificationRow>(
    `INSERT INTO issue_classifications (issue_id, project_id, classification, text_hash, updated_at)
     VALUES ($1, $2, $3, $4, now())
     ON CONFLICT (issue_id) DO UPDATE SET classification = EXCLUDED.classification,
       text_hash = EXCLUDED.text_hash, updated_at = now()
     RETURNING *`,
    [row.issueId, row.projectId, JSON.stringify(row.classification), row.textHash],
  );
  return rows[0]!;
}

/**
 * The model's answer replaces the rules' — unless the issue's text changed since it was asked
 * (another classification is on its way) or a person chose the kind meanwhile.
 */
export async function refineIssueClassification(
  db: Queryable,
  issueId: string,
  textHash: string,
  classification: Classification,
): Promise<boolean> {
  const { rowCount } = await db.query(
    `UPDATE issue_classifications SET classification = $3, updated_at = now()
     WHERE issue_id = $1 AND text_hash = $2 AND classification->>'source' <> 'person'`,
    [issueId, textHash, JSON.stringify(classification)],
  );
  return (rowCount ?? 0) > 0;
}
