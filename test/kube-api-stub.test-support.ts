import { writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

/** A resource the stub advertises: its kind, its plural (the URL segment) and whether it is namespaced. */
export interface StubResource {
  kind: string;
  plural: string;
  namespaced: boolean;
}

/**
 * What a cluster with KEDA and the Prometheus operator installed advertises for the kinds Orchard's
 * manifests use (a subset of each group, enough for kubectl to map every kind to its URL). A kind
 * missing here is missing on such a cluster too, and kubectl says "no matches for kind".
 */
export const CLUSTER_RESOURCES: Record<string, StubResource[]> = {
  v1: [
    { kind: 'ConfigMap', plural: 'configmaps', namespaced: true },
    { kind: 'Namespace', plural: 'namespaces', namespaced: false },
    { kind: 'PersistentVolumeClaim', plural: 'persistentvolumeclaims', namespaced: true },
    { kind: 'Pod', plural: 'pods', namespaced: true },
    { kind: 'Secret', plural: 'secrets', namespaced: true },
    { kind: 'Service', plural: 'services', namespaced: true },
    { kind: 'ServiceAccount', plural: 'serviceaccounts', namespaced: true },
  ],
  'apps/v1': [
    { kind: 'Deployment', plural: 'deployments', namespaced: true },
    { kind: 'StatefulSet', plural: 'statefulsets', namespaced: true },
  ],
  'batch/v1': [
    { kind: 'CronJob', plural: 'cronjobs', namespaced: true },
    { kind: 'Job', plural: 'jobs', namespaced: true },
  ],
  'policy/v1': [{ kind: 'PodDisruptionBudget', plural: 'poddisruptionbudgets', namespaced: true }],
  'networking.k8s.io/v1': [
    { kind: 'Ingress', plural: 'ingresses', namespaced: true },
    { kind: 'NetworkPolicy', plural: 'networkpolicies', namespaced: true },
  ],
  'autoscaling/v2': [
    { kind: 'HorizontalPodAutoscaler', plural: 'horizontalpodautoscalers', namespaced: true },
  ],
  'keda.sh/v1alpha1': [
    { kind: 'ScaledObject', plural: 'scaledobjects', namespaced: true },
    { kind: 'TriggerAuthentication', plural: 'triggerauthentications', namespaced: true },
  ],
  'monitoring.coreos.com/v1': [{ kind: 'ServiceMonitor', plural: 'servicemonitors', namespaced: true }],
};

const VERBS = ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'];

export interface KubeApiStub {
  /** A kubeconfig file whose current context points at the stub (namespace `default`). */
  kubeconfig: string;
  /** Every request the stub received, as `METHOD path` (query string dropped). */
  requests: string[];
  close(): Promise<void>;
}

/**
 * The edge of the world for `kubectl apply --dry-run=client`: a local HTTP server answering the
 * legacy discovery endpoints (`/api`, `/apis`, `/api/v1`, `/apis/<group>/<version>`) from
 * `resources`, and 404 NotFound for every object kubectl looks up, so each one is "created (dry
 * run)". Anything that would change the cluster gets 405: a client dry run must never send one.
 */
export async function startKubeApiStub(
  dir: string,
  resources: Record<string, StubResource[]> = CLUSTER_RESOURCES,
): Promise<KubeApiStub> {
  const requests: string[] = [];
  const groups = Object.keys(resources).filter((gv) => gv.includes('/'));
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://stub');
    requests.push(`${req.method} ${url.pathname}`);
    const send = (status: number, body: unknown) =>
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    if (req.method !== 'GET') {
      return send(405, status(405, 'MethodNotAllowed', `${req.method} is not served by the stub`));
    }
    if (url.pathname === '/api') return send(200, { kind: 'APIVersions', versions: ['v1'] });
    if (url.pathname === '/apis') {
      return send(200, {
        kind: 'APIGroupList',
        apiVersion: 'v1',
        groups: groups.map((gv) => {
          const [name, version] = gv.split('/') as [string, string];
          const entry = { groupVersion: gv, version };
          return { name, versions: [entry], preferredVersion: entry };
        }),
      });
    }
    const gv = url.pathname === '/api/v1' ? 'v1' : url.pathname.replace(/^\/apis\//, '');
    const list = resources[gv];
    if (list && (url.pathname === '/api/v1' || url.pathname.startsWith('/apis/'))) {
      return send(200, {
        kind: 'APIResourceList',
        apiVersion: 'v1',
        groupVersion: gv,
        resources: list.map((r) => ({
          name: r.plural,
          singularName: r.kind.toLowerCase(),
          namespaced: r.namespaced,
          kind: r.kind,
          verbs: VERBS,
        })),
      });
    }
    return send(404, status(404, 'NotFound', `${url.pathname} not found`));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const kubeconfig = path.join(dir, 'kubeconfig');
  await writeFile(
    kubeconfig,
    [
      'apiVersion: v1',
      'kind: Config',
      'clusters:',
      `- name: stub\n  cluster:\n    server: http://127.0.0.1:${port}`,
      'users:',
      '- name: stub\n  user: {}',
      'contexts:',
      '- name: stub\n  context:\n    cluster: stub\n    user: stub\n    namespace: default',
      'current-context: stub',
      '',
    ].join('\n'),
  );
  return {
    kubeconfig,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function status(code: number, reason: string, message: string) {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code };
}
