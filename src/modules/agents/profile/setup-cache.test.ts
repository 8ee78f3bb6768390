import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseAgentProfile } from './parse-agent-profile.ts';
import { markSetupDone, needsSetup, setupKey } from './setup-cache.ts';

describe('setup cache', () => {
  let dir: string;
  let outside: string;
  const profile = parseAgentProfile('setup: [npm ci]\ncacheKey: [package-lock.json, tools/versions.txt]\n');

  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'orchard-setup-'));
    outside = await mkdtemp(path.join(os.tmpdir(), 'orchard-outside-'));
    await writeFile(path.join(dir, 'package-lock.json'), '{"lockfileVersion":3}');
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
    await rm(outside, { recursive: true, force: true });
  });

  it('keys on the setup commands, the image and the cacheKey files', async () => {
    const key = await setupKey(profile, dir);
    expect(key).toMatch(/^[0-9a-f]{64}$/);
    expect(await setupKey(profile, dir)).toBe(key);
    // Source files outside cacheKey do not matter.
    await writeFile(path.join(dir, 'index.js'), 'console.log(1)');
    expect(await setupKey(profile, dir)).toBe(key);

    await writeFile(path.join(dir, 'package-lock.json'), '{"lockfileVersion":3,"packages":{}}');
    const lockChanged = await setupKey(profile, dir);
    expect(lockChanged).not.toBe(key);

    await mkdir(path.join(dir, 'tools'));
    await writeFile(path.join(dir, 'tools/versions.txt'), '');
    const emptyAppeared = await setupKey(profile, dir);
    expect(emptyAppeared).not.toBe(lockChanged); // an empty file is not an absent one

    expect(await setupKey({ ...profile, setup: ['npm ci', 'npx playwright install'] }, dir)).not.toBe(
      emptyAppeared,
    );
    expect(await setupKey({ ...profile, setup: ['npm ci --ignore-scripts'] }, dir)).not.toBe(emptyAppeared);
    expect(await setupKey({ ...profile, image: 'node:22-bookworm' }, dir)).not.toBe(emptyAppeared);
  });

  it('hashes links as their target text and never reads through them', async () => {
    await writeFile(path.join(outside, 'package-lock.json'), 'one');
    await rm(path.join(dir, 'package-lock.json'));
    await symlink(path.join(outside, 'package-lock.json'), path.join(dir, 'package-lock.json'));
    await symlink(outside, path.join(dir, 'tools'));
    await writeFile(path.join(outside, 'versions.txt'), 'one');
    const key = await setupKey(profile, dir);
    await writeFile(path.join(outside, 'package-lock.json'), 'two');
    await writeFile(path.join(outside, 'versions.txt'), 'two');
    expect(await setupKey(profile, dir)).toBe(key);
  });

  it('refuses a cacheKey path that leaves the workspace', async () => {
    await expect(setupKey({ ...profile, cacheKey: ['../etc/passwd'] }, dir)).rejects.toThrow(
      /outside the workspace/,
    );
  });

  it('runs setup until a marker holds the current key', async () => {
    const marker = path.join(dir, '.orchard-setup');
    const key = await setupKey(profile, dir);
    expect(await needsSetup(marker, key)).toBe(true);
    await markSetupDone(marker, key);
    expect(await needsSetup(marker, key)).toBe(false);
    await writeFile(path.join(dir, 'package-lock.json'), '{}');
    expect(await needsSetup(marker, await setupKey(profile, dir))).toBe(true);
  });
});
