import YAML from 'yaml';
import type { AppSettings } from '../app-settings.ts';
import { envDirName } from '../paths.ts';

export interface K8sEnvironment {
  /** `staging`, `production` or `preview/<branch>`. */
  name: string;
  hostLabel: string;
  desiredState: 'running' | 'stopped';
  /** The release the environment runs; environments without one are skipped. */
  release: { sha: string; settings: AppSettings } | null;
}

export interface K8sOptions {
  /** Apps answer at `<label>.<domain>`. */
  domain: string;
  /** Image name template: `{slug}`, `{sha}`, `{shortSha}`, `{env}` are filled in. */
  image: string;
  namespace?: string;
  ingressClassName?: string;
  /** The port the app listens on inside its container (its `PORT`). */
  containerPort?: number;
  /** The Secret holding the project's secrets (key = secret name); default `<slug>-secrets`. */
  secretName?: string;
}

/** Seconds a replaced pod gets to finish its requests (the local supervisor drains 10 s too). */
const DRAIN_SECONDS = 10;
/** The uid and gid apps run as: any non-root user the image's files are readable by (as Orchard's image uses). */
const APP_UID = 10001;

/**
 * Kubernetes manifests for a project's environments: per environment a Deployment (rolling update
 * that never drops below one ready pod — the health-gated swap; probes on the app's health path;
 * non-root; labelled with the release's short sha as `app.kubernetes.io/version`), a Service and an
 * Ingress for `<env>--<slug>.<domain>`. Pure: same input, same YAML (golden-file tested).
 */
export function renderK8s(
  project: { slug: string },
  environments: K8sEnvironment[],
  options: K8sOptions,
): string {
  const docs: string[] = [`# Rendered by Orchard for project ${project.slug}.\n`];
  const sorted = [...environments].sort((a, b) => a.name.localeCompare(b.name));
  for (const env of sorted) {
    if (!env.release) {
      docs.push(`# ${env.name}: no release yet, skipped.\n`);
      continue;
    }
    for (const manifest of environmentManifests(project.slug, env, env.release, options)) {
      docs.push(`---\n${YAML.stringify(manifest, { lineWidth: 0, aliasDuplicateObjects: false })}`);
    }
  }
  return docs.join('');
}

function environmentManifests(
  slug: string,
  env: K8sEnvironment,
  release: NonNullable<K8sEnvironment['release']>,
  o: K8sOptions,
) {
  const name = env.hostLabel;
  const envPart = envDirName(env.hostLabel, slug);
  const port = o.containerPort ?? 8080;
  const settings = release.settings;
  const labels = {
    'app.kubernetes.io/name': slug,
    'app.kubernetes.io/instance': name,
    'app.kubernetes.io/version': release.sha.slice(0, 12),
    'app.kubernetes.io/managed-by': 'orchard',
    'orchard.dev/environment': envPart,
  };
  const metadata = {
    name,
    ...(o.namespace ? { namespace: o.namespace } : {}),
    labels,
    annotations: { 'orchard.dev/environment-name': env.name, 'orchard.dev/commit-sha': release.sha },
  };
  const image = o.image
    .replaceAll('{slug}', slug)
    .replaceAll('{sha}', release.sha)
    .replaceAll('{shortSha}', release.sha.slice(0, 12))
    .replaceAll('{env}', envPart);
  const secretName = o.secretName ?? `${slug}-secrets`;
  const probe = { httpGet: { path: settings.healthPath, port: 'http' }, timeoutSeconds: 5 };
  const deployment = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata,
    spec: {
      replicas: env.desiredState === 'running' ? 1 : 0,
      selector: { matchLabels: { 'app.kubernetes.io/instance': name } },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } },
      template: {
        metadata: { labels },
        spec: {
          terminationGracePeriodSeconds: DRAIN_SECONDS + 5,
          // As the local sandbox runs it: not root, no token, writes only to /data and /tmp.
          automountServiceAccountToken: false,
          securityContext: {
            runAsNonRoot: true,
            runAsUser: APP_UID,
            runAsGroup: APP_UID,
            fsGroup: APP_UID,
            seccompProfile: { type: 'RuntimeDefault' },
          },
          containers: [
            {
              name: 'app',
              image,
              command: ['sh', '-c', settings.start],
              ports: [{ name: 'http', containerPort: port }],
              env: [
                { name: 'PORT', value: String(port) },
                { name: 'HOST', value: '0.0.0.0' },
                { name: 'DATA_DIR', value: '/data' },
                { name: 'NODE_ENV', value: 'production' },
                { name: 'ORCHARD_PROJECT', value: slug },
                { name: 'ORCHARD_ENVIRONMENT', value: env.name },
                { name: 'ORCHARD_COMMIT_SHA', value: release.sha },
                ...Object.entries(settings.env)
                  .sort(([a], [b]) => a.localeCompare(b))
                  .map(([k, v]) => ({ name: k, value: v })),
                ...[...settings.secrets]
                  .sort()
                  .map((s) => ({ name: s, valueFrom: { secretKeyRef: { name: secretName, key: s } } })),
              ],
              // Like the local supervisor: up to 30 s to become healthy, then traffic.
              startupProbe: { ...probe, periodSeconds: 1, failureThreshold: 30 },
              readinessProbe: { ...probe, periodSeconds: 2, failureThreshold: 2 },
              livenessProbe: { ...probe, periodSeconds: 10, failureThreshold: 3 },
              // Endpoints are removed while the pod sleeps, so in-flight requests finish before SIGTERM.
              lifecycle: { preStop: { exec: { command: ['sleep', String(DRAIN_SECONDS)] } } },
              securityContext: {
                allowPrivilegeEscalation: false,
                readOnlyRootFilesystem: true,
                capabilities: { drop: ['ALL'] },
              },
              volumeMounts: [
                { name: 'data', mountPath: '/data' },
                { name: 'tmp', mountPath: '/tmp' },
              ],
            },
          ],
          // Replace data with a PersistentVolumeClaim for data that must outlive the pod.
          volumes: [
            { name: 'data', emptyDir: {} },
            { name: 'tmp', emptyDir: {} },
          ],
        },
      },
    },
  };
  const service = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata,
    spec: {
      type: 'ClusterIP',
      selector: { 'app.kubernetes.io/instance': name },
      ports: [{ name: 'http', port: 80, targetPort: 'http' }],
    },
  };
  const ingress = {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata,
    spec: {
      ...(o.ingressClassName ? { ingressClassName: o.ingressClassName } : {}),
      rules: [
        {
          host: `${name}.${o.domain}`,
          http: {
            paths: [
              { path: '/', pathType: 'Prefix', backend: { service: { name, port: { name: 'http' } } } },
            ],
          },
        },
      ],
    },
  };
  return [deployment, service, ingress];
}
