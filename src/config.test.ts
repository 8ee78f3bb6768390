import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.ts';

describe('config', () => {
  it('has defaults that need no setup', () => {
    const config = loadConfig({ env: {}, cwd: '/srv/x' });
    expect(config).toMatchObject({ port: 7300, home: '/srv/x/.orchard', logLevel: 'info' });
    expect(config.databaseUrl).toBeUndefined();
  });

  it('layers file < environment < flags', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'cfg-'));
    await writeFile(
      path.join(dir, 'orchard.config.yaml'),
      'port: 8000\nlogLevel: debug\nworkers:\n  concurrency: 2\n',
    );
    const config = loadConfig({
      env: { ORCHARD_PORT: '8100', ORCHARD_WORKER_CONCURRENCY: '3' },
      cwd: dir,
      flags: { port: '8200' },
    });
    expect(config.port).toBe(8200);
    expect(config.logLevel).toBe('debug');
    expect(config.workers.concurrency).toBe(3);
  });

  it('names the bad key, where it came from and what is allowed', () => {
    const run = () => loadConfig({ env: { ORCHARD_PORT: '99999', DATABASE_URL: 'mysql://x' }, cwd: '/tmp' });
    expect(run).toThrow(ConfigError);
    try {
      run();
    } catch (error) {
      const message = (error as Error).message;
      expect(message).toContain('port (from ORCHARD_PORT)');
      expect(message).toContain('databaseUrl (from DATABASE_URL): must be a postgres:// URL');
    }
  });

  it('reads the app relay as host:port, and asks for the address others reach it at when it listens on every address', () => {
    const config = loadConfig({
      env: { ORCHARD_DEPLOY_RELAY_LISTEN: '0.0.0.0:7400', ORCHARD_DEPLOY_RELAY_ADVERTISE: '[fd00::5]:7400' },
      cwd: '/tmp',
    });
    expect(config.deploy.relay).toEqual({
      listen: { host: '0.0.0.0', port: 7400 },
      advertise: { host: 'fd00::5', port: 7400 },
    });
    expect(loadConfig({ env: {}, cwd: '/tmp' }).deploy.relay).toEqual({});
    expect(() => loadConfig({ env: { ORCHARD_DEPLOY_RELAY_LISTEN: '0.0.0.0:7400' }, cwd: '/tmp' })).toThrow(
      /deploy.relay.advertise is needed when the relay listens on every address/,
    );
    expect(() => loadConfig({ env: { ORCHARD_DEPLOY_RELAY_LISTEN: '7400' }, cwd: '/tmp' })).toThrow(
      /deploy.relay.listen \(from ORCHARD_DEPLOY_RELAY_LISTEN\): must be host:port/,
    );
  });

  it('reports a broken or missing config file clearly', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'cfg-'));
    await writeFile(path.join(dir, 'bad.yaml'), 'port: [unclosed');
    expect(() => loadConfig({ env: {}, cwd: dir, file: 'bad.yaml' })).toThrow(/bad.yaml is not valid/);
    expect(() => loadConfig({ env: {}, cwd: dir, file: 'none.yaml' })).toThrow(/not found/);
  });

  it('bounds every wait on PostgreSQL and git by default, and refuses a client timeout below the server one', () => {
    const config = loadConfig({ env: {}, cwd: '/tmp' });
    expect(config.database).toEqual({
      connectTimeoutMs: 5_000,
      statementTimeoutMs: 30_000,
      lockTimeoutMs: 0,
      idleInTransactionTimeoutMs: 60_000,
      queryTimeoutMs: 35_000,
    });
    expect(config.readyTimeoutMs).toBe(1_500);
    expect(config.git).toEqual({
      timeoutMs: 120_000,
      transferIdleMs: 60_000,
      secretScanMaxBytes: 64 * 1024 * 1024,
      lfsMaxObjectBytes: 5 * 1024 * 1024 * 1024,
    });
    const env = { ORCHARD_DB_STATEMENT_TIMEOUT_MS: '10000', ORCHARD_DB_QUERY_TIMEOUT_MS: '5000' };
    expect(() => loadConfig({ env, cwd: '/tmp' })).toThrow(
      'database.queryTimeoutMs (from ORCHARD_DB_QUERY_TIMEOUT_MS): queryTimeoutMs must be above statementTimeoutMs (or 0)',
    );
    expect(() => loadConfig({ env: { ORCHARD_READY_TIMEOUT_MS: '5000' }, cwd: '/tmp' })).toThrow(
      'readyTimeoutMs',
    );
  });
});

describe('single sign-on providers (auth.oidc.providers)', () => {
  const corp = { name: 'corp', displayName: 'Corp', issuer: 'https://id.corp.example', clientId: 'orchard' };

  it('reads them from the config file, the client secret from the environment when it says env:NAME', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'cfg-'));
    await writeFile(
      path.join(dir, 'orchard.config.yaml'),
      `auth:\n  oidc:\n    providers:\n      - name: corp\n        displayName: Corp\n        issuer: https://id.corp.example\n        clientId: orchard\n        clientSecret: env:CORP_SECRET\n        adminGroups: [ops]\n`,
    );
    const [provider] = loadConfig({ env: { CORP_SECRET: 's3cret' }, cwd: dir }).auth.oidc.providers;
    expect(provider).toMatchObject({
      clientSecret: 's3cret',
      scopes: ['openid', 'email', 'profile'],
      allowSignUp: true,
      linkByEmail: false,
      groupsClaim: 'groups',
      adminGroups: ['ops'],
      projectRoles: [],
      tokenEndpointAuthMethod: 'client_secret_basic',
    });
    expect(() => loadConfig({ env: {}, cwd: dir })).toThrow(
      /clientSecret: names the environment variable CORP_SECRET/,
    );
  });

  it('takes them from ORCHARD_OIDC_PROVIDERS as JSON, and says what is wrong', () => {
    const env = (value: unknown) => ({ ORCHARD_OIDC_PROVIDERS: JSON.stringify(value) });
    expect(loadConfig({ env: env([corp]), cwd: '/tmp' }).auth.oidc.providers[0]?.name).toBe('corp');
    expect(loadConfig({ env: {}, cwd: '/tmp' }).auth.oidc.providers).toEqual([]);
    const refused = (value: Record<string, string>) => () => loadConfig({ env: value, cwd: '/tmp' });
    expect(refused({ ORCHARD_OIDC_PROVIDERS: '[{' })).toThrow(/must be a JSON array of providers/);
    expect(refused(env([corp, corp]))).toThrow(/each provider needs a name of its own/);
    expect(refused(env([{ ...corp, issuer: 'http://id.corp.example' }]))).toThrow(
      /must be an https:\/\/ URL/,
    );
    expect(refused(env([{ ...corp, scopes: ['email'] }]))).toThrow(/must include openid/);
    expect(refused(env([{ ...corp, name: 'Corp SSO' }]))).toThrow(/lowercase letters/);
    expect(
      refused(env([{ ...corp, projectRoles: [{ group: 'g', project: 'shop', role: 'boss' }] }])),
    ).toThrow(/projectRoles\.0\.role/);
    // http only for an issuer on this machine (development and tests).
    expect(
      loadConfig({ env: env([{ ...corp, issuer: 'http://127.0.0.1:9000' }]), cwd: '/tmp' }),
    ).toBeTruthy();
  });
});
