import { randomBytes } from 'node:crypto';
import { chmod, link, mkdir, open, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';

/**
 * The embedded PostgreSQL's passwords: one for the superuser (setup only) and one for Orchard's
 * own role. Random per home, kept in a 0600 file beside the master key, never in the data
 * directory (which belongs to the `postgres` user when Orchard runs as root).
 */
export const EmbeddedCredentials = z.object({
  superuser: z.object({ name: z.string().min(1), password: z.string().min(24) }),
  owner: z.object({ name: z.string().min(1), password: z.string().min(24) }),
});
export type EmbeddedCredentials = z.infer<typeof EmbeddedCredentials>;

const password = () => randomBytes(24).toString('base64url');

/** Reads the credentials file, creating it (0600, atomically) on first use. */
export async function loadOrCreateCredentials(file: string): Promise<EmbeddedCredentials> {
  try {
    const parsed = EmbeddedCredentials.safeParse(JSON.parse(await readFile(file, 'utf8')));
    if (!parsed.success)
      throw new Error(`${file} is not a valid credentials file; restore it from a backup.`);
    // Tighten a file whose mode was loosened by a copy.
    await chmod(file, 0o600);
    return parsed.data;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const credentials: EmbeddedCredentials = {
    superuser: { name: 'postgres', password: password() },
    owner: { name: 'orchard', password: password() },
  };
  await mkdir(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  const handle = await open(tmp, 'wx', 0o600);
  try {
    await handle.writeFile(`${JSON.stringify(credentials, null, 2)}\n`);
    await handle.sync();
  } finally {
    await handle.close();
  }
  // link() never replaces: when two processes start together, the first file wins for both.
  await link(tmp, file).catch((error) => {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  });
  await rm(tmp, { force: true });
  return EmbeddedCredentials.parse(JSON.parse(await readFile(file, 'utf8')));
}
