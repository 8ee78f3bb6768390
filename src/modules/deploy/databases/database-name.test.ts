import { describe, expect, it } from 'vitest';
import { appDatabaseName } from './database-name.ts';

describe('an app database’s name', () => {
  it('is app_<slug>_<env>_<suffix>, in letters, digits and _ only', () => {
    expect(appDatabaseName('shop', 'preview/feat/Login-Page', 'a1b2c3')).toBe(
      'app_shop_preview_feat_login_page_a1b2c3',
    );
    expect(appDatabaseName('my-app', 'staging', 'ffffff')).toBe('app_my_app_staging_ffffff');
    expect(appDatabaseName('shop', 'preview/ünïcode—"quotes"', '000000')).toBe(
      'app_shop_preview_n_code_quotes_000000',
    );
  });

  it('keeps within 63 bytes with its random suffix, so long names still differ', () => {
    const long = `preview/${'x'.repeat(200)}`;
    const a = appDatabaseName('a-rather-long-project-slug', long);
    const b = appDatabaseName('a-rather-long-project-slug', long);
    expect(Buffer.byteLength(a)).toBeLessThanOrEqual(63);
    expect(a).toMatch(/^app_a_rather_long_project_slug_preview_x+_[0-9a-f]{6}$/);
    expect(a).not.toBe(b);
    // The migration's check: what PostgreSQL keeps is the whole name.
    expect(a).toMatch(/^[a-z][a-z0-9_]{0,62}$/);
  });
});
