import type { Queryable } from '../../../platform/db/pool.ts';
import type { Vault } from '../../secrets/index.ts';

type Sealed = ReturnType<Vault['seal']>;

export interface SmtpRow {
  host: string;
  port: number;
  secure: boolean;
  username: string | null;
  password_ciphertext: Buffer | null;
  password_iv: Buffer | null;
  password_auth_tag: Buffer | null;
  password_key_id: string | null;
  from_address: string;
  updated_at: Date;
}

/** AAD of the SMTP password: it opens only as that. */
export const SMTP_PASSWORD_AAD = 'smtp/password';

export function sealedPassword(row: SmtpRow): Sealed | null {
  if (!row.password_ciphertext || !row.password_iv || !row.password_auth_tag || !row.password_key_id)
    return null;
  return {
    ciphertext: row.password_ciphertext,
    iv: row.password_iv,
    authTag: row.password_auth_tag,
    keyId: row.password_key_id,
  };
}

export async function findSmtpRow(db: Queryable, lock = false): Promise<SmtpRow | undefined> {
  const { rows } = await db.query<SmtpRow>(
    `SELECT * FROM smtp_settings WHERE id${lock ? ' FOR UPDATE' : ''}`,
  );
  return rows[0];
}

export async function upsertSmtpRow(
  db: Queryable,
  s: {
    host: string;
    port: number;
    secure: boolean;
    username: string | null;
    sealed: Sealed | null;
    from: string;
    by: string | null;
    at: Date;
  },
) {
  await db.query(
    `INSERT INTO smtp_settings (id, host, port, secure, username, password_ciphertext, password_iv, password_auth_tag, password_key_id, from_address, updated_at, updated_by)
     VALUES (true, $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
     ON CONFLICT (id) DO UPDATE SET host = $1, port = $2, secure = $3, username = $4, password_ciphertext = $5,
       password_iv = $6, password_auth_tag = $7, password_key_id = $8, from_address = $9, updated_at = $10, updated_by = $11`,
    [
      s.host,
      s.port,
      s.secure,
      s.username,
      s.sealed?.ciphertext ?? null,
      s.sealed?.iv ?? null,
      s.sealed?.authTag ?? null,
      s.sealed?.keyId ?? null,
      s.from,
      s.at,
      s.by,
    ],
  );
}

export async function deleteSmtpRow(db: Queryable): Promise<boolean> {
  const { rowCount } = await db.query('DELETE FROM smtp_settings WHERE id');
  return (rowCount ?? 0) > 0;
}

export async function countSmtpPasswordsByKey(db: Queryable) {
  const { rows } = await db.query<{ keyId: string; count: number }>(
    `SELECT password_key_id AS "keyId", count(*)::int AS count FROM smtp_settings
     WHERE password_key_id IS NOT NULL GROUP BY password_key_id`,
  );
  return rows;
}

export async function replaceSmtpPasswordSeal(db: Queryable, sealed: Sealed) {
  await db.query(
    `UPDATE smtp_settings SET password_ciphertext = $1, password_iv = $2, password_auth_tag = $3, password_key_id = $4 WHERE id`,
    [sealed.ciphertext, sealed.iv, sealed.authTag, sealed.keyId],
  );
}
