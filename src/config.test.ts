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
