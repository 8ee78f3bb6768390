import { describe, expect, it } from 'vitest';
import { parseEnvName } from '../env-name.ts';
import { hostLabel, labelFromHost, MAX_LABEL } from './host-label.ts';

const DNS_LABEL = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/;

describe('hostLabel', () => {
  it('is <env>--<slug>, with the branch slash of a preview turned into a dash', () => {
    expect(hostLabel('staging', 'shop')).toBe('staging--shop');
    expect(hostLabel('production', 'shop')).toBe('production--shop');
    expect(hostLabel('preview/feat-x', 'shop')).toBe('preview-feat-x--shop');
    expect(hostLabel('preview/Feat/Login_Page', 'shop')).toBe('preview-feat-login-page--shop');
  });

  it('shortens long names to 63 characters with a hash suffix, keeping the slug whole', () => {
    const branch = `feature/${'very-long-branch-name-'.repeat(5)}end`;
    const label = hostLabel(`preview/${branch}`, 'shop');
    expect(label.length).toBeLessThanOrEqual(MAX_LABEL);
    expect(label).toMatch(DNS_LABEL);
    expect(label.endsWith('--shop')).toBe(true);
    expect(label).toMatch(/^preview-feature-very-long-[a-z0-9-]*-[0-9a-f]{6}--shop$/);
    // Deterministic, and two long names differing only at the end do not collide.
    expect(hostLabel(`preview/${branch}`, 'shop')).toBe(label);
    expect(hostLabel(`preview/${branch}-2`, 'shop')).not.toBe(label);
  });

  it('stays a valid label for the longest slug', () => {
    const slug = `a${'b'.repeat(46)}c`;
    for (const env of ['staging', 'production', `preview/${'x'.repeat(200)}`]) {
      const label = hostLabel(env, slug);
      expect(label.length, env).toBeLessThanOrEqual(MAX_LABEL);
      expect(label, env).toMatch(DNS_LABEL);
      expect(label.endsWith(`--${slug}`), env).toBe(true);
    }
  });

  it('offers a hashed form for names whose plain label is taken (feat/x and feat-x)', () => {
    expect(hostLabel('preview/feat/x', 'shop')).toBe(hostLabel('preview/feat-x', 'shop'));
    const hashed = hostLabel('preview/feat/x', 'shop', { hashed: true });
    expect(hashed).not.toBe(hostLabel('preview/feat-x', 'shop'));
    expect(hashed).toMatch(/^preview-feat-x-[0-9a-f]{6}--shop$/);
  });
});

describe('labelFromHost', () => {
  it('picks the app label out of <label>.localhost and <label>.<domain>, any port', () => {
    expect(labelFromHost('staging--shop.localhost:7300', 'localhost')).toBe('staging--shop');
    expect(labelFromHost('Staging--Shop.LOCALHOST', 'localhost')).toBe('staging--shop');
    expect(labelFromHost('preview-feat-x--shop.apps.example.com', 'apps.example.com')).toBe(
      'preview-feat-x--shop',
    );
    expect(labelFromHost('staging--shop.localhost', 'apps.example.com')).toBe('staging--shop');
  });

  it('leaves Orchard itself and other hosts alone', () => {
    for (const host of [
      'localhost:7300',
      '127.0.0.1:7300',
      'orchard.localhost',
      'staging--shop.evil.com',
      undefined,
      '',
    ]) {
      expect(labelFromHost(host, 'localhost'), String(host)).toBeUndefined();
    }
  });
});

describe('parseEnvName', () => {
  it('accepts staging, production, preview/<branch> and the URL form preview--<branch>', () => {
    expect(parseEnvName('staging')).toEqual({ name: 'staging', kind: 'staging' });
    expect(parseEnvName('preview/feat/x')).toEqual({
      name: 'preview/feat/x',
      kind: 'preview',
      branch: 'feat/x',
    });
    expect(parseEnvName('preview--feat-x')).toEqual({
      name: 'preview/feat-x',
      kind: 'preview',
      branch: 'feat-x',
    });
  });

  it('refuses anything else, naming the field', () => {
    expect(() => parseEnvName('qa')).toThrow(/env must be staging, production or preview/);
    expect(() => parseEnvName('preview/bad..name')).toThrow(/env: the branch must not contain/);
  });
});
