import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { hostLabel } from '../serve/host-label.ts';
import { type K8sEnvironment, renderK8s } from './render-k8s.ts';

const GOLDEN = path.join(path.dirname(fileURLToPath(import.meta.url)), '__golden__');
const SHA_A = 'a'.repeat(40);
const SHA_B = '0123456789abcdef0123456789abcdef01234567';
const LONG_BRANCH = 'feature/a-really-long-branch-name-that-will-not-fit-in-one-dns-label';

/** The fixtures the golden files were rendered from. */
function goldenEnvironments(): K8sEnvironment[] {
  const env = (name: string, sha: string | null, extra: Partial<K8sEnvironment> = {}): K8sEnvironment => ({
    name,
    hostLabel: hostLabel(name, 'shop'),
    desiredState: 'running',
    release: sha
      ? {
          sha,
          settings: {
            start: 'node server.js',
            healthPath: '/health',
            env: { LOG_LEVEL: 'info', FEATURE_LIKES: 'true' },
            secrets: ['STRIPE_KEY', 'DATABASE_PASSWORD'],
          },
        }
      : null,
    ...extra,
  });
  return [
    env('staging', SHA_B),
    env('production', SHA_A),
    env(`preview/${LONG_BRANCH}`, SHA_B, { desiredState: 'stopped' }),
    env('preview/empty', null),
  ];
}

describe('renderK8s', () => {
  it('matches the golden manifests for staging, production and a long-named preview', async () => {
    const yaml = renderK8s({ slug: 'shop' }, goldenEnvironments(), {
      domain: 'apps.example.com',
      image: 'orchard-app:{slug}-{sha}',
    });
    expect(yaml).toBe(await readFile(path.join(GOLDEN, 'shop.yaml'), 'utf8'));
  });

  it('matches the golden manifests with a namespace, an ingress class and a registry image', async () => {
    const yaml = renderK8s({ slug: 'shop' }, goldenEnvironments().slice(0, 1), {
      domain: 'apps.example.com',
      image: 'registry.example.com/{slug}:{shortSha}',
      namespace: 'apps',
      ingressClassName: 'nginx',
    });
    expect(yaml).toBe(await readFile(path.join(GOLDEN, 'shop-namespaced.yaml'), 'utf8'));
  });

  it('renders valid documents: three per environment with a release, names ≤ 63 characters', () => {
    const docs = YAML.parseAllDocuments(
      renderK8s({ slug: 'shop' }, goldenEnvironments(), { domain: 'apps.example.com', image: 'x:{sha}' }),
    ).map((d) => d.toJS());
    expect(docs.filter(Boolean).map((d) => d.kind)).toEqual([
      ...['Deployment', 'Service', 'Ingress'],
      ...['Deployment', 'Service', 'Ingress'],
      ...['Deployment', 'Service', 'Ingress'],
    ]);
    for (const doc of docs.filter(Boolean)) expect(doc.metadata.name.length).toBeLessThanOrEqual(63);
    const preview = docs.find(
      (d) =>
        d?.kind === 'Deployment' &&
        d.metadata.annotations['orchard.dev/environment-name'].startsWith('preview/'),
    );
    expect(preview.spec.replicas).toBe(0);
    const ingress = docs.find((d) => d?.kind === 'Ingress' && d.metadata.name === 'staging--shop');
    expect(ingress.spec.rules[0].host).toBe('staging--shop.apps.example.com');
  });
});
