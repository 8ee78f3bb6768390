import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { hostLabel } from '../serve/host-label.ts';
import { type K8sEnvironment, renderK8s } from './render-k8s.ts';

const GOLDEN = path.join(path.dirname(fileURLToPath(import.meta.url)), '__golden__');
/** `ORCHARD_UPDATE_GOLDEN=1` rewrites the golden files from what the renderer prints now: review the diff. */
const UPDATE_GOLDEN = process.env.ORCHARD_UPDATE_GOLDEN === '1';

async function expectGolden(name: string, actual: string) {
  const file = path.join(GOLDEN, name);
  if (UPDATE_GOLDEN) await writeFile(file, actual);
  expect(actual).toBe(await readFile(file, 'utf8'));
}
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
    await expectGolden('shop.yaml', yaml);
  });

  it('matches the golden manifests with a namespace, an ingress class and a registry image', async () => {
    const yaml = renderK8s({ slug: 'shop' }, goldenEnvironments().slice(0, 1), {
      domain: 'apps.example.com',
      image: 'registry.example.com/{slug}:{shortSha}',
      namespace: 'apps',
      ingressClassName: 'nginx',
    });
    await expectGolden('shop-namespaced.yaml', yaml);
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

  it('labels each Deployment with its release, probes the app’s health path and never runs it as root', () => {
    const environments = goldenEnvironments();
    const production = environments.find((e) => e.name === 'production')!;
    production.release!.settings.healthPath = '/healthz';
    const docs = YAML.parseAllDocuments(
      renderK8s({ slug: 'shop' }, environments, { domain: 'apps.example.com', image: 'x:{sha}' }),
    )
      .map((d) => d.toJS())
      .filter(Boolean);
    const deployments = docs.filter((d) => d.kind === 'Deployment');
    expect(deployments).toHaveLength(3);
    for (const deployment of deployments) {
      const sha: string = deployment.metadata.annotations['orchard.dev/commit-sha'];
      expect(deployment.metadata.labels['app.kubernetes.io/version']).toBe(sha.slice(0, 12));
      expect(deployment.spec.template.metadata.labels['app.kubernetes.io/version']).toBe(sha.slice(0, 12));
      // The selector stays on the instance only: a new release must not orphan the old pods.
      expect(deployment.spec.selector.matchLabels).toEqual({
        'app.kubernetes.io/instance': deployment.metadata.name,
      });
      const pod = deployment.spec.template.spec;
      expect(pod.securityContext.runAsNonRoot).toBe(true);
      expect(pod.securityContext.runAsUser).toBeGreaterThan(0);
      expect(pod.automountServiceAccountToken).toBe(false);
      const [app] = pod.containers;
      expect(app.securityContext).toMatchObject({
        allowPrivilegeEscalation: false,
        readOnlyRootFilesystem: true,
      });
      const healthPath =
        deployment.metadata.annotations['orchard.dev/environment-name'] === 'production'
          ? '/healthz'
          : '/health';
      for (const probe of ['startupProbe', 'readinessProbe', 'livenessProbe'])
        expect(app[probe].httpGet).toEqual({ path: healthPath, port: 'http' });
      // Writable only where the local sandbox lets an app write: its data directory and /tmp.
      expect(app.volumeMounts.map((m: { mountPath: string }) => m.mountPath).sort()).toEqual([
        '/data',
        '/tmp',
      ]);
    }
  });
});
