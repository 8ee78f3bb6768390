/**
 * Orchard's own Kubernetes manifests (deploy/kubernetes): each overlay rendered by `kubectl
 * kustomize` equals its golden file (`ORCHARD_UPDATE_GOLDEN=1` rewrites them: review the diff) and
 * is accepted by `kubectl apply --dry-run=client` against a discovery stub (no cluster here); then
 * what the golden files hold is checked against Orchard itself: its CLI's commands and flags, the
 * probes' paths on a real HTTP app, the metric the autoscalers query, the queues its steps use.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { CLI_COMMANDS } from '../src/cli/commands.ts';
import { loadConfig } from '../src/config.ts';
import { createTestApp, type TestApp } from './app.ts';
import { CLUSTER_RESOURCES, type KubeApiStub, startKubeApiStub } from './kube-api-stub.test-support.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const KUBE = path.join(ROOT, 'deploy/kubernetes');
const GOLDEN = path.join(KUBE, '__golden__');
const OVERLAYS = ['trial', 'production'] as const;
/** `ORCHARD_UPDATE_GOLDEN=1` rewrites the golden files from what kubectl renders now. */
const UPDATE_GOLDEN = process.env.ORCHARD_UPDATE_GOLDEN === '1';
const hasKubectl = spawnSync('kubectl', ['version', '--client'], { stdio: 'ignore' }).status === 0;

// biome-ignore lint/suspicious/noExplicitAny: parsed Kubernetes objects are checked field by field.
type K8sObject = any;

function parseAll(text: string): K8sObject[] {
  const docs = YAML.parseAllDocuments(text);
  for (const doc of docs) expect(doc.errors).toEqual([]);
  return docs.map((d) => d.toJS()).filter(Boolean);
}

async function golden(overlay: string): Promise<K8sObject[]> {
  return parseAll(await readFile(path.join(GOLDEN, `${overlay}.yaml`), 'utf8'));
}

/** Runs a command to its end (asynchronously: the discovery stub answers from this process). */
function run(command: string, args: string[], options: { input?: string; env?: NodeJS.ProcessEnv } = {}) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
    const child = spawn(command, args, { cwd: ROOT, env: options.env ?? process.env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(options.input ?? '');
  });
}

async function kustomize(dir: string): Promise<string> {
  const result = await run('kubectl', ['kustomize', dir]);
  expect(result.code, result.stderr).toBe(0);
  return result.stdout;
}

/** How kubectl names an object in its output: `deployment.apps/orchard-server`, `service/x`. */
function printedName(o: K8sObject): string {
  const group = String(o.apiVersion).includes('/') ? `.${String(o.apiVersion).split('/')[0]}` : '';
  return `${String(o.kind).toLowerCase()}${group}/${o.metadata.name}`;
}

/** The URL kubectl GETs to see whether an object exists. */
function objectPath(o: K8sObject, defaultNamespace: string): string {
  const gv: string = o.apiVersion;
  const resource = CLUSTER_RESOURCES[gv]?.find((r) => r.kind === o.kind);
  if (!resource) throw new Error(`the stub does not serve ${o.kind} in ${gv}`);
  const prefix = gv.includes('/') ? `/apis/${gv}` : `/api/${gv}`;
  const namespace = resource.namespaced ? `/namespaces/${o.metadata.namespace ?? defaultNamespace}` : '';
  return `${prefix}${namespace}/${resource.plural}/${o.metadata.name}`;
}

function podTemplates(objects: K8sObject[]): Array<{ owner: string; spec: K8sObject }> {
  return objects.flatMap((o) => {
    if (['Deployment', 'StatefulSet', 'Job', 'DaemonSet'].includes(o.kind))
      return [{ owner: printedName(o), spec: o.spec.template.spec }];
    if (o.kind === 'CronJob') return [{ owner: printedName(o), spec: o.spec.jobTemplate.spec.template.spec }];
    return [];
  });
}

function find(objects: K8sObject[], kind: string, name: string): K8sObject {
  const found = objects.find((o) => o.kind === kind && o.metadata.name === name);
  if (!found) throw new Error(`no ${kind} ${name} among ${objects.map(printedName).join(', ')}`);
  return found;
}

/** The container's value of `--flag` in its args. */
function flag(args: string[], name: string): string | undefined {
  const at = args.indexOf(name);
  return at >= 0 ? args[at + 1] : undefined;
}

/** Orchard's configuration as the pods load it: the ConfigMap's file, and the env given. */
async function configOf(objects: K8sObject[], dir: string, env: Record<string, string> = {}) {
  const map = objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name.startsWith('orchard-config'));
  const file = path.join(dir, `${map.metadata.name}.yaml`);
  await writeFile(file, map.data['orchard.config.yaml']);
  return loadConfig({ file, env, cwd: dir });
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'orchard-k8s-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe.skipIf(!hasKubectl)('kubectl kustomize, then kubectl apply --dry-run=client', () => {
  let stub: KubeApiStub;
  beforeAll(async () => {
    stub = await startKubeApiStub(dir);
  });
  afterAll(async () => {
    await stub?.close();
  });

  /** kubectl's discovery cache goes to the test's directory, not ~/.kube. */
  const dryRunArgs = () => [
    'apply',
    '--dry-run=client',
    '--validate=false',
    '--cache-dir',
    path.join(dir, 'kube-cache'),
    '-f',
    '-',
  ];

  /** Applies `rendered` in a client dry run; every object must be "created", none sent. */
  async function dryRun(rendered: string) {
    const objects = parseAll(rendered);
    const before = stub.requests.length;
    const result = await run('kubectl', dryRunArgs(), {
      input: rendered,
      env: { ...process.env, KUBECONFIG: stub.kubeconfig },
    });
    expect(result.code, result.stderr).toBe(0);
    const printed = result.stdout.trim().split('\n').sort();
    expect(printed).toEqual(objects.map((o) => `${printedName(o)} created (dry run)`).sort());
    const requests = stub.requests.slice(before);
    // kubectl asked the "cluster" about each object, and changed nothing there.
    for (const o of objects) expect(requests).toContain(`GET ${objectPath(o, 'default')}`);
    expect(requests.filter((r) => !r.startsWith('GET '))).toEqual([]);
    return objects;
  }

  for (const overlay of OVERLAYS) {
    it(`overlays/${overlay} renders what __golden__/${overlay}.yaml holds`, async () => {
      const rendered = await kustomize(path.join(KUBE, 'overlays', overlay));
      const file = path.join(GOLDEN, `${overlay}.yaml`);
      if (UPDATE_GOLDEN) await writeFile(file, rendered);
      expect(rendered).toBe(await readFile(file, 'utf8'));
    });

    it(`overlays/${overlay}: every object is created in a client dry run`, async () => {
      const objects = await dryRun(await kustomize(path.join(KUBE, 'overlays', overlay)));
      expect(objects.length).toBeGreaterThan(10);
    });
  }

  it('the hpa and worker-userns components render over the base and pass the dry run too', async () => {
    const composed = path.join(dir, 'composed');
    const rel = (p: string) => path.relative(composed, path.join(KUBE, p));
    await mkdir(composed, { recursive: true });
    await writeFile(
      path.join(composed, 'kustomization.yaml'),
      YAML.stringify({
        resources: [rel('base')],
        components: [rel('components/hpa'), rel('components/worker-userns')],
      }),
    );
    const objects = await dryRun(await kustomize(composed));
    const hpa = find(objects, 'HorizontalPodAutoscaler', 'orchard-worker');
    expect(hpa.spec.scaleTargetRef).toEqual({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      name: 'orchard-worker',
    });
    const worker = find(objects, 'Deployment', 'orchard-worker');
    // The autoscaler owns the replica count; a re-apply must not reset it.
    expect(worker.spec.replicas).toBeUndefined();
    expect(worker.spec.template.spec.hostUsers).toBe(false);
    expect(worker.spec.template.spec.containers[0].securityContext).toMatchObject({
      privileged: false,
      allowPrivilegeEscalation: false,
      procMount: 'Unmasked',
      capabilities: { drop: ['ALL'] },
    });
  });

  it('the per-queue ScaledObject example passes the dry run', async () => {
    await dryRun(await readFile(path.join(KUBE, 'components/keda/per-queue.example.yaml'), 'utf8'));
  });

  it('the dry run fails on a kind the cluster does not serve (the check can fail)', async () => {
    const result = await run('kubectl', dryRunArgs(), {
      input: 'apiVersion: keda.sh/v1alpha1\nkind: ScaledJob\nmetadata:\n  name: orchard\n',
      env: { ...process.env, KUBECONFIG: stub.kubeconfig },
    });
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('no matches for kind "ScaledJob"');
  });
});

describe('what the rendered manifests say, checked against Orchard', () => {
  let t: TestApp;
  const program = new Command('orchard');
  for (const register of CLI_COMMANDS) register(program);

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t?.close();
  });

  for (const overlay of OVERLAYS) {
    it(`${overlay}: nothing runs as root`, async () => {
      const pods = podTemplates(await golden(overlay));
      expect(pods.length).toBeGreaterThanOrEqual(overlay === 'trial' ? 4 : 3);
      for (const { owner, spec } of pods) {
        for (const container of [...(spec.initContainers ?? []), ...spec.containers]) {
          const effective = { ...spec.securityContext, ...container.securityContext };
          expect(effective.runAsNonRoot, `${owner} ${container.name}`).toBe(true);
          expect(effective.runAsUser, `${owner} ${container.name}`).toBeGreaterThan(0);
        }
      }
    });

    it(`${overlay}: every container runs an Orchard command with flags it has`, async () => {
      const objects = await golden(overlay);
      const orchard = podTemplates(objects)
        .flatMap(({ spec }) => spec.containers)
        .filter(
          (c: K8sObject) => String(c.image).includes('orchard') && !String(c.image).startsWith('postgres'),
        );
      expect(orchard.map((c: K8sObject) => c.args[0]).sort()).toEqual(['migrate', 'server', 'worker']);
      for (const container of orchard) {
        const command = program.commands.find((c) => c.name() === container.args[0]);
        expect(command, container.args[0]).toBeDefined();
        const known = new Set([...command!.options.map((o) => o.long), '--config']);
        for (const arg of container.args.slice(1).filter((a: string) => a.startsWith('--')))
          expect(known, `${container.args[0]} ${arg}`).toContain(arg);
      }
    });

    it(`${overlay}: servers are probed on /ready and /health, which Orchard answers; workers on their /metrics`, async () => {
      const objects = await golden(overlay);
      const server = find(objects, 'Deployment', 'orchard-server').spec.template.spec.containers[0];
      expect(server.readinessProbe.httpGet).toEqual({ path: '/ready', port: 'http' });
      expect(server.livenessProbe.httpGet).toEqual({ path: '/health', port: 'http' });
      expect(server.ports).toContainEqual({ name: 'http', containerPort: t.config.port });
      for (const probePath of [server.readinessProbe.httpGet.path, server.livenessProbe.httpGet.path]) {
        const answer = await t.http.inject({ method: 'GET', url: probePath });
        expect(answer.statusCode, `${probePath}: ${answer.body}`).toBe(200);
      }
      const worker = find(objects, 'Deployment', 'orchard-worker').spec.template.spec.containers[0];
      const metricsPort = worker.ports.find((p: K8sObject) => p.name === 'metrics').containerPort;
      expect(String(metricsPort)).toBe(flag(worker.args, '--metrics-port'));
      for (const probe of [worker.readinessProbe, worker.livenessProbe])
        expect(probe.httpGet).toEqual({ path: '/metrics', port: 'metrics' });
    });

    it(`${overlay}: the workers take every queue Orchard's steps use`, async () => {
      const worker = find(await golden(overlay), 'Deployment', 'orchard-worker').spec.template.spec
        .containers[0];
      const queues = (flag(worker.args, '--queues') ?? '').split(',').map((q) => q.split(':')[0]);
      expect(queues.sort()).toEqual(t.res.registry.queues());
    });

    it(`${overlay}: every server and worker shares one home volume at the image's ORCHARD_HOME`, async () => {
      const objects = await golden(overlay);
      const dockerfile = await readFile(path.join(ROOT, 'Dockerfile'), 'utf8');
      const home = /ORCHARD_HOME=(\S+)/.exec(dockerfile)?.[1];
      expect(home).toBe('/var/lib/orchard');
      const claims = new Set<string>();
      for (const name of ['orchard-server', 'orchard-worker']) {
        const pod = find(objects, 'Deployment', name).spec.template.spec;
        const mount = pod.containers[0].volumeMounts.find((m: K8sObject) => m.mountPath === home);
        const volume = pod.volumes.find((v: K8sObject) => v.name === mount.name);
        claims.add(volume.persistentVolumeClaim.claimName);
      }
      expect([...claims]).toEqual(['orchard-home']);
      const pvc = find(objects, 'PersistentVolumeClaim', 'orchard-home');
      // Several machines share it in production; the one-node trial may use ReadWriteOnce.
      expect(pvc.spec.accessModes).toEqual([overlay === 'production' ? 'ReadWriteMany' : 'ReadWriteOnce']);
    });
  }

  it('production: the Secret is not in the manifests, and pods take DATABASE_URL and the key from "orchard"', async () => {
    const objects = await golden('production');
    expect(objects.filter((o) => o.kind === 'Secret')).toEqual([]);
    for (const { spec } of podTemplates(objects))
      expect(spec.containers[0].envFrom).toEqual([{ secretRef: { name: 'orchard' } }]);
  });

  it('trial: the generated Secret holds a configuration Orchard accepts, pointing at the trial PostgreSQL', async () => {
    const objects = await golden('trial');
    const server = find(objects, 'Deployment', 'orchard-server').spec.template.spec.containers[0];
    const secret = find(objects, 'Secret', server.envFrom[0].secretRef.name);
    const env = Object.fromEntries(
      Object.entries(secret.data as Record<string, string>).map(([k, v]) => [
        k,
        Buffer.from(v, 'base64').toString(),
      ]),
    );
    const config = await configOf(objects, dir, env);
    expect(config.masterKey).toBeDefined();
    const database = new URL(config.databaseUrl!);
    const service = find(objects, 'Service', database.hostname);
    expect(service.spec.ports.map((p: K8sObject) => p.port)).toContain(Number(database.port));
    const postgres = find(objects, 'StatefulSet', 'orchard-postgres').spec.template.spec.containers[0];
    expect(postgres.image).toMatch(/^postgres:15/);
  });

  it('production: the Ingress has Orchard’s host and the wildcard host of deploy.domain, as the configuration says', async () => {
    const objects = await golden('production');
    const config = await configOf(objects, dir);
    const ingress = find(objects, 'Ingress', 'orchard');
    const hosts = ingress.spec.rules.map((r: K8sObject) => r.host);
    expect(hosts).toEqual([new URL(config.publicUrl!).hostname, `*.${config.deploy.domain}`]);
    expect(ingress.spec.tls[0].hosts).toEqual(hosts);
    for (const rule of ingress.spec.rules)
      expect(rule.http.paths[0].backend.service).toEqual({ name: 'orchard-server', port: { name: 'http' } });
  });

  it('production: KEDA scales the worker Deployment on orchard_steps_ready, which the servers’ /metrics serves', async () => {
    const objects = await golden('production');
    const scaled = find(objects, 'ScaledObject', 'orchard-worker');
    expect(scaled.spec.scaleTargetRef).toEqual({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      name: 'orchard-worker',
    });
    expect(find(objects, 'Deployment', 'orchard-worker').spec.replicas).toBeUndefined();
    expect(scaled.spec.minReplicaCount).toBeGreaterThanOrEqual(1);
    const [trigger] = scaled.spec.triggers;
    expect(trigger.type).toBe('prometheus');
    expect(trigger.metadata.query).toContain('orchard_steps_ready');
    expect(trigger.metadata.query).toContain(`namespace="${scaled.metadata.namespace}"`);
    // One worker per `--concurrency` ready steps.
    const worker = find(objects, 'Deployment', 'orchard-worker').spec.template.spec.containers[0];
    expect(trigger.metadata.threshold).toBe(flag(worker.args, '--concurrency'));
    const metrics = await t.http.inject({ method: 'GET', url: '/metrics' });
    expect(metrics.body).toMatch(/^# TYPE orchard_steps_ready gauge$/m);
  });

  it('production: the ServiceMonitor scrapes /metrics on ports the servers and workers expose', async () => {
    const objects = await golden('production');
    const monitor = find(objects, 'ServiceMonitor', 'orchard');
    const services = objects.filter(
      (o) =>
        o.kind === 'Service' &&
        Object.entries(monitor.spec.selector.matchLabels).every(([k, v]) => o.metadata.labels?.[k] === v),
    );
    for (const endpoint of monitor.spec.endpoints) {
      expect(endpoint.path).toBe('/metrics');
      const service = services.find((s) => s.spec.ports.some((p: K8sObject) => p.name === endpoint.port));
      expect(service, endpoint.port).toBeDefined();
    }
    expect(services.map((s) => s.metadata.name).sort()).toEqual(['orchard-server', 'orchard-worker-metrics']);
  });

  it('the HPA’s External metric is the one the prometheus-adapter rule serves, from orchard_steps_ready', async () => {
    const hpa = parseAll(await readFile(path.join(KUBE, 'components/hpa/hpa.yaml'), 'utf8'))[0];
    const adapter = parseAll(
      await readFile(path.join(KUBE, 'components/hpa/prometheus-adapter-rules.yaml'), 'utf8'),
    )[0];
    const [rule] = YAML.parse(adapter.data['config.yaml']).externalRules;
    expect(hpa.spec.metrics[0].external.metric.name).toBe(rule.name.as);
    expect(rule.seriesQuery).toMatch(/^orchard_steps_ready\{/);
    expect(rule.metricsQuery).toContain('<<.Series>>');
  });

  it('the per-queue example scales on one queue the workers know', async () => {
    const example = parseAll(
      await readFile(path.join(KUBE, 'components/keda/per-queue.example.yaml'), 'utf8'),
    )[0];
    const query: string = example.spec.triggers[0].metadata.query;
    const queue = /queue="([a-z-]+)"/.exec(query)?.[1];
    expect(t.res.registry.queues()).toContain(queue);
    expect(query).toContain('orchard_steps_ready');
  });
});
