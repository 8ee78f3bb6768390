import { describe, expect, it } from 'vitest';
import { parseAppSettings } from './app-settings.ts';

describe('.orchard/app.yml', () => {
  it('reads start, build, healthPath (default /health), env and secrets', () => {
    expect(parseAppSettings('start: node server.js\n')).toEqual({
      start: 'node server.js',
      healthPath: '/health',
      env: {},
      secrets: [],
    });
    const full = parseAppSettings(
      'start: npm start\nbuild: npm ci\nhealthPath: /up\nenv:\n  LOG_LEVEL: debug\n  WORKERS: 2\nsecrets: [STRIPE_KEY]\n',
    );
    expect(full).toEqual({
      start: 'npm start',
      build: 'npm ci',
      healthPath: '/up',
      env: { LOG_LEVEL: 'debug', WORKERS: '2' },
      secrets: ['STRIPE_KEY'],
    });
  });

  it('answers 422 naming the field that is wrong', () => {
    const errorOf = (text: string) => {
      try {
        parseAppSettings(text);
      } catch (error) {
        return error as Error & { status: number; extra: { errors?: Array<{ field: string }> } };
      }
      throw new Error('expected an error');
    };
    const missing = errorOf('build: make\n');
    expect(missing.status).toBe(422);
    expect(missing.message).toMatch(/start:/);
    expect(errorOf('start: x\nhealthPath: health\n').message).toMatch(
      /healthPath: must be a path starting with "\/"/,
    );
    expect(errorOf('start: x\nenv:\n  PORT: 1\n').message).toMatch(/env\.PORT: .*set by Orchard/);
    expect(errorOf('start: x\nsecrets: [bad-name]\n').extra.errors?.[0]?.field).toBe('secrets.0');
    expect(errorOf('start: x\nstrat: y\n').message).toMatch(/Unrecognized key/);
    expect(errorOf('start: [unclosed\n').message).toMatch(/not valid YAML/);
    expect(errorOf('start: x\ndatabase: mysql\n').message).toMatch(/database: must be "postgres"/);
    expect(errorOf('start: x\ndatabase: postgres\nenv:\n  DATABASE_URL: postgres://x/y\n').message).toMatch(
      /env\.DATABASE_URL: is set by Orchard for an app with "database: postgres"/,
    );
  });

  it('reads database (postgres) and migrate, and lets an app without one bring its own DATABASE_URL', () => {
    expect(
      parseAppSettings('start: node server.js\ndatabase: postgres\nmigrate: node scripts/migrate.js\n'),
    ).toMatchObject({ database: 'postgres', migrate: 'node scripts/migrate.js' });
    expect(parseAppSettings('start: x\nenv:\n  DATABASE_URL: postgres://db/app\n').env).toEqual({
      DATABASE_URL: 'postgres://db/app',
    });
  });
});
