import { createReadStream, createWriteStream } from 'node:fs';
import { chmod, lchown, lstat, mkdir, readdir, readlink, symlink } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { EntryWriter } from './archive-entries.ts';
import { BackupArchiveError } from './archive-error.ts';

/**
 * The folders of a home a backup keeps besides the database and the repositories: blobs (artifacts,
 * screenshots, LFS objects), the apps' data, built releases and their logs. Left out on purpose:
 * `pg/` (the database goes in through COPY), the master key and database passwords (secrets),
 * and what is rebuilt or scratch (`work/`, `cache/`, `tmp/`, `agents/`, `git-hooks/`, backups).
 */
export const HOME_FOLDERS = ['blobs', 'data', 'releases', 'logs'] as const;

export interface Owner {
  mode: number;
  uid: number;
  gid: number;
}

export interface FilesSummary {
  files: number;
  bytes: number;
}

/** Writes every regular file and symlink under the home's kept folders, one entry each. */
export async function writeHomeFiles(home: string, writer: EntryWriter): Promise<FilesSummary> {
  const summary: FilesSummary = { files: 0, bytes: 0 };
  const walk = async (relative: string) => {
    const entries = await readdir(path.join(home, relative), { withFileTypes: true }).catch(
      (error: NodeJS.ErrnoException) => {
        if (error.code === 'ENOENT') return [];
        throw error;
      },
    );
    entries.sort((a, b) => a.name.localeCompare(b.name));
    for (const entry of entries) {
      const rel = path.posix.join(relative, entry.name);
      const full = path.join(home, rel);
      // A blob being written lands by rename; its partial file is not data yet.
      if (entry.isFile() && entry.name.endsWith('.partial')) continue;
      const info = await lstat(full).catch(() => undefined);
      if (!info) continue; // removed meanwhile (a pruned release)
      // Owners matter: an app's data and release belong to its project's sandbox user.
      const owner = { mode: info.mode & 0o7777, uid: info.uid, gid: info.gid };
      if (info.isDirectory()) {
        await writer.entry({ kind: 'dir', name: rel, ...owner });
        await walk(rel);
      } else if (info.isSymbolicLink())
        await writer.entry({ kind: 'symlink', name: rel, target: await readlink(full), ...owner });
      else if (info.isFile()) {
        const { bytes } = await writer.entry(
          { kind: 'file', name: rel, ...owner },
          createReadStream(full).on('error', () => undefined),
        );
        summary.files++;
        summary.bytes += bytes;
      }
    }
  };
  for (const folder of HOME_FOLDERS) await walk(folder);
  return summary;
}

/** A relative path of an entry, refused when it would leave the home or is not under a kept folder. */
function safePath(home: string, name: string): string {
  const normal = path.posix.normalize(name);
  const top = normal.split('/')[0];
  if (
    path.posix.isAbsolute(normal) ||
    normal.startsWith('..') ||
    !(HOME_FOLDERS as readonly string[]).includes(top ?? '')
  )
    throw new BackupArchiveError(
      `The archive holds a file outside the home's folders: ${JSON.stringify(name)}.`,
    );
  return path.join(home, ...normal.split('/'));
}

/**
 * Writes an archive's files into a home (a fresh one, or a staging folder). A file below a symlink
 * the archive made is refused, so no entry can write through a link to outside the home.
 */
export class HomeFilesRestore {
  private readonly links = new Set<string>();
  private readonly asRoot = process.getuid?.() === 0;

  constructor(private readonly home: string) {}

  private target(name: string): string {
    const normal = path.posix.normalize(name);
    const parts = normal.split('/');
    for (let i = 1; i < parts.length; i++)
      if (this.links.has(parts.slice(0, i).join('/')))
        throw new BackupArchiveError(`The archive holds a file below a symlink: ${JSON.stringify(name)}.`);
    return safePath(this.home, normal);
  }

  async dir(name: string, owner: Owner) {
    const target = this.target(name);
    await mkdir(target, { recursive: true });
    await chmod(target, owner.mode & 0o7777);
    await this.own(target, owner);
  }

  async file(name: string, owner: Owner, body: Readable) {
    const target = this.target(name);
    await mkdir(path.dirname(target), { recursive: true });
    await pipeline(body, createWriteStream(target, { mode: owner.mode & 0o777, flags: 'wx' }));
    await chmod(target, owner.mode & 0o7777);
    await this.own(target, owner);
  }

  async symlink(name: string, linkTarget: string, owner: Owner) {
    const file = this.target(name);
    await mkdir(path.dirname(file), { recursive: true });
    await symlink(linkTarget, file);
    this.links.add(path.posix.normalize(name));
    await this.own(file, owner);
  }

  /** As root, files get their owners back (a restore by anyone else owns what it writes). */
  private async own(target: string, owner: Owner) {
    if (this.asRoot && Number.isInteger(owner.uid) && Number.isInteger(owner.gid))
      await lchown(target, owner.uid, owner.gid);
  }
}
