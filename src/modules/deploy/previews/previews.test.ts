import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer } from '../../../../test/app.ts';
import { findLeak } from '../../../../test/secret-leaks.ts';
import { appRequest, type DeployFixture, deployFixture } from '../../../../test/support/deploy-fixture.ts';
import { ManualClock } from '../../../platform/clock.ts';
import { SYSTEM_ACTOR } from '../../../platform/http/actor.ts';
import { findEnvironmentByName } from '../environment-store.ts';
import { dataDir } from '../paths.ts';
import { pinEnvironment } from '../pin-environment.ts';
import { deployRef } from '../releases/deploy-ref.ts';
import { removePreview } from '../remove-environment.ts';
import { deployPreview } from './deploy-preview.ts';

let f: DeployFixture;
const clock = new ManualClock(new Date('2026-03-01T12:00:00Z'));
const ctx = { actor: SYSTEM_ACTOR };
const HOUR = 3_600_000;
const preview = (branch: string) => findEnvironmentByName(f.t.res.db, f.project.id, `preview/${branch}`);
const hostOf = (label: string) => `${label}.localhost:${f.port}`;

beforeAll(async () => {
  f = await deployFixture({ 'deploy.previewTtlHours': 72 }, { clock });
});
afterAll(async () => f?.close());

describe('previews', () => {
  it('deploys one per branch at preview-<branch>--<slug>, and every deploy resets its TTL', async () => {
    const sha = await f.push('p1', { branch: 'feat/login' });
    const { environment } = await deployPreview(f.t.res.deploy.deps, ctx, {
      slug: f.slug,
      branch: 'feat/login',
      sha,
    });
    expect(environment).toMatchObject({ name: 'preview/feat/login', kind: 'preview', branch: 'feat/login' });
    expect(environment.host_label).toBe('preview-feat-login--shop');
    expect(environment.expires_at?.getTime()).toBe(clock.now().getTime() + 72 * HOUR);
    expect((await appRequest(f.port, hostOf(environment.host_label))).body).toBe('hello from p1');

    clock.advance(10 * HOUR);
    const sha2 = await f.push('p2', { branch: 'feat/login' });
    const again = await deployPreview(f.t.res.deploy.deps, ctx, {
      slug: f.slug,
      branch: 'feat/login',
      sha: sha2,
    });
    expect(again.environment.expires_at?.getTime()).toBe(clock.now().getTime() + 72 * HOUR);
    expect((await appRequest(f.port, hostOf(environment.host_label))).body).toBe('hello from p2');
  });

  it('removes an expired preview on the reconciler sweep; a pinned one stays', async () => {
    const sha = await f.push('k1', { branch: 'keep' });
    await deployPreview(f.t.res.deploy.deps, ctx, { slug: f.slug, branch: 'keep', sha });
    await pinEnvironment(f.t.res.deploy.deps, ctx, { slug: f.slug, env: 'preview/keep', pinned: true });
    const expiring = (await preview('feat/login'))!;

    clock.advance(72 * HOUR + 1);
    await f.t.res.deploy.sweep();

    expect(await preview('feat/login')).toBeUndefined();
    expect(f.t.res.deploy.supervisor.supervises(expiring.id)).toBe(false);
    expect((await appRequest(f.port, hostOf(expiring.host_label))).status).toBe(404);
    await expect(appRequest(expiring.port!, 'localhost')).rejects.toThrow();
    expect(existsSync(dataDir(f.t.config.home, f.slug, expiring.host_label))).toBe(false);
    const kept = (await preview('keep'))!;
    expect(kept).toMatchObject({ pinned: true, expires_at: null, status: 'running' });
  });

  it("removes a merged or closed branch's preview and stops its app", async () => {
    const kept = (await preview('keep'))!;
    expect(await removePreview(f.t.res.deploy.deps, ctx, { slug: f.slug, branch: 'keep' })).toBe(true);
    expect(await preview('keep')).toBeUndefined();
    expect((await appRequest(f.port, hostOf(kept.host_label))).status).toBe(404);
    await expect(appRequest(kept.port!, 'localhost')).rejects.toThrow();
    expect(await removePreview(f.t.res.deploy.deps, ctx, { slug: f.slug, branch: 'keep' })).toBe(false);
  });

  it('gives a preview of an unprotected branch no protected secret, at build or run time; staging of main gets them', async () => {
    const values = {
      PROTECTED_KEY: 'prot-5ecret/value+for-preview',
      OPEN_KEY: 'open-5ecret/value+for-preview',
    };
    for (const [name, value] of Object.entries(values)) {
      const put = await f.t.http.inject({
        method: 'PUT',
        url: `/api/projects/${f.slug}/secrets/${name}`,
        headers: bearer(f.token),
        payload: { value, protected: name === 'PROTECTED_KEY' },
      });
      expect(put.statusCode).toBe(201);
    }
    const appYml = `start: node server.js
build: |
  echo "$PROTECTED_KEY" | base64
  echo "given: \${PROTECTED_KEY:+PROTECTED_KEY} \${OPEN_KEY:+OPEN_KEY}" > build-secrets.txt
secrets: [PROTECTED_KEY, OPEN_KEY]
`;
    const info = async (label: string) =>
      JSON.parse((await appRequest(f.port, hostOf(label), '/info')).body) as {
        secretsGiven: string[];
        buildSecrets: string;
      };
    const lines: string[] = [];
    const sha = await f.push('s1', { branch: 'feat/secret', appYml });
    const { environment } = await deployRef(f.t.res.deploy.deps, ctx, {
      slug: f.slug,
      env: 'preview/feat/secret',
      ref: sha,
      onLog: (line) => lines.push(line),
    });
    const preview = await info(environment.host_label);
    expect(preview.secretsGiven).toEqual(['OPEN_KEY']);
    expect(preview.buildSecrets).not.toContain('PROTECTED_KEY');
    expect(lines.join('\n')).toContain('Withheld protected secret PROTECTED_KEY from the build');
    const appLog = f.t.res.deploy.supervisor.logOf(environment.id)!;
    expect(
      appLog
        .tail(100)
        .map((l) => l.text)
        .join('\n'),
    ).toContain('Withheld protected secret PROTECTED_KEY from the app');

    await f.push('s2', { branch: 'main', appYml });
    const staging = await deployRef(f.t.res.deploy.deps, ctx, {
      slug: f.slug,
      env: 'staging',
      ref: 'main',
      onLog: (line) => lines.push(line),
    });
    const onMain = await info(staging.environment.host_label);
    expect(onMain.secretsGiven).toEqual(['PROTECTED_KEY', 'OPEN_KEY']);
    expect(onMain.buildSecrets).toContain('PROTECTED_KEY');
    for (const value of Object.values(values)) expect(findLeak(lines.join('\n'), value)).toBeUndefined();
  });
});
