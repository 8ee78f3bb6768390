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
});
