import { describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { ValidationError } from '../../../platform/errors.ts';
import { type AgentJobInput, renderAgentJob } from './render-agent-job.ts';

const SESSION = '3f2b8c1e-9d4a-4e5f-8a6b-1c2d3e4f5a6b';
const input: AgentJobInput = {
  sessionId: SESSION,
  projectSlug: 'shop',
  runtime: 'claude-code',
  image: 'registry.example.com/agents/node:20',
  resources: { cpu: '500m', memory: '2Gi' },
  env: { NODE_ENV: 'test', API_KEY: { secret: 'STRIPE_TEST_KEY' } },
  orchardUrl: 'http://orchard.orchard.svc:8080',
  maxWallMinutes: 20,
};

/** The one manifest renderAgentJob printed, parsed back. */
function render(over: Partial<AgentJobInput> = {}) {
  const docs = YAML.parseAllDocuments(renderAgentJob({ ...input, ...over }));
  for (const doc of docs) expect(doc.errors).toEqual([]);
  const manifests = docs.map((d) => d.toJS()).filter(Boolean);
  expect(manifests).toHaveLength(1);
  return manifests[0];
}

describe('renderAgentJob', () => {
  it('is a batch/v1 Job labelled with its session, never retried, with a deadline from the wall budget', () => {
    const job = render({ ttlSecondsAfterFinished: 600, namespace: 'agents' });
    expect(job).toMatchObject({
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: {
        name: `orchard-agent-${SESSION}`,
        namespace: 'agents',
        labels: {
          'orchard.dev/agent-session': SESSION,
          'orchard.dev/project': 'shop',
          'orchard.dev/agent-runtime': 'claude-code',
        },
      },
      spec: { backoffLimit: 0, activeDeadlineSeconds: 20 * 60 + 600, ttlSecondsAfterFinished: 600 },
    });
    expect(job.metadata.name.length).toBeLessThanOrEqual(63);
    expect(job.spec.template.metadata.labels['orchard.dev/agent-session']).toBe(SESSION);
    expect(render({ maxWallMinutes: 1.5, graceSeconds: 0 }).spec).toMatchObject({
      activeDeadlineSeconds: 90,
      ttlSecondsAfterFinished: 3600,
    });
  });

  it('runs `orchard agent run-session <id>` in the profile image with its resources', () => {
    const pod = render().spec.template.spec;
    expect(pod.restartPolicy).toBe('Never');
    expect(pod.containers).toHaveLength(1);
    const [container] = pod.containers;
    expect(container).toMatchObject({
      image: 'registry.example.com/agents/node:20',
      command: ['orchard', 'agent', 'run-session', SESSION],
      workingDir: '/workspace',
      resources: { requests: { cpu: '500m', memory: '2Gi' }, limits: { cpu: '500m', memory: '2Gi' } },
    });
  });

  it('runs as non-root with no capabilities, a read-only root and writable emptyDirs', () => {
    const pod = render().spec.template.spec;
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 1000 });
    expect(pod.containers[0].securityContext).toEqual({
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      runAsNonRoot: true,
      capabilities: { drop: ['ALL'] },
    });
    const mounts = Object.fromEntries(
      pod.containers[0].volumeMounts.map((m: { name: string; mountPath: string }) => [m.mountPath, m.name]),
    );
    expect(mounts).toEqual({ '/workspace': 'workspace', '/home/agent': 'home', '/tmp': 'tmp' });
    for (const volume of pod.volumes) expect(Object.keys(volume).sort()).toEqual(['emptyDir', 'name']);
  });

  it('gives secrets by name through secretKeyRef and never a value', () => {
    const secretValue = 'sk_test_never_rendered_51H';
    const text = renderAgentJob(input);
    expect(text).not.toContain(secretValue);
    const env = render().spec.template.spec.containers[0].env as Array<Record<string, unknown>>;
    const byName = Object.fromEntries(env.map((e) => [e.name, e]));
    expect(byName.API_KEY).toEqual({
      name: 'API_KEY',
      valueFrom: { secretKeyRef: { name: 'shop-secrets', key: 'STRIPE_TEST_KEY' } },
    });
    expect(byName.ORCHARD_TOKEN).toEqual({
      name: 'ORCHARD_TOKEN',
      valueFrom: { secretKeyRef: { name: `orchard-agent-${SESSION}`, key: 'token' } },
    });
    expect(byName.NODE_ENV).toEqual({ name: 'NODE_ENV', value: 'test' });
    expect(byName.ORCHARD_URL).toEqual({ name: 'ORCHARD_URL', value: 'http://orchard.orchard.svc:8080' });
    // The only literal values are the profile's plain ones and Orchard's own; the rest are references.
    expect(env.filter((e) => 'value' in e).map((e) => e.value)).toEqual([
      'test',
      '/home/agent',
      'http://orchard.orchard.svc:8080',
      SESSION,
    ]);
    for (const entry of env) expect('value' in entry && 'valueFrom' in entry).toBe(false);
    const named = render({ secretName: 'shop-agent-secrets', tokenSecretName: 'session-token' });
    const namedEnv = named.spec.template.spec.containers[0].env as Array<{
      name: string;
      valueFrom?: { secretKeyRef: { name: string } };
    }>;
    expect(namedEnv.find((e) => e.name === 'API_KEY')?.valueFrom?.secretKeyRef.name).toBe(
      'shop-agent-secrets',
    );
    expect(namedEnv.find((e) => e.name === 'ORCHARD_TOKEN')?.valueFrom?.secretKeyRef.name).toBe(
      'session-token',
    );
  });

  it('keeps the variables Orchard sets from being overridden by the profile', () => {
    const env = render({ env: { HOME: '/root', ORCHARD_URL: 'http://evil.example' } }).spec.template.spec
      .containers[0].env as Array<{ name: string; value?: string }>;
    expect(env.filter((e) => e.name === 'HOME')).toEqual([{ name: 'HOME', value: '/home/agent' }]);
    expect(env.filter((e) => e.name === 'ORCHARD_URL')).toHaveLength(1);
  });

  it('refuses a session id or label that Kubernetes would not take', () => {
    expect(() => renderAgentJob({ ...input, sessionId: 'Bad Id' })).toThrow(ValidationError);
    expect(() => renderAgentJob({ ...input, projectSlug: '-shop' })).toThrow(/label value/);
  });
});
