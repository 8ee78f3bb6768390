import YAML from 'yaml';
import { ValidationError } from '../../../platform/errors.ts';

export interface AgentJobInput {
  /** The agent session the Job runs (a uuid); names the Job and labels it. */
  sessionId: string;
  projectSlug: string;
  /** The profile's runtime (`llm-agent`, `claude-code` …), as a label. */
  runtime: string;
  /** The profile's image. It must provide the `orchard` CLI (and git) on its PATH. */
  image: string;
  /** Requests and limits alike, so a session gets what it asked for and no more. */
  resources: { cpu: string; memory: string };
  /**
   * The profile's env: plain values as they are (they are in the repository anyway), secrets by
   * name only, read by the kubelet from the project's Secret. No secret value ever reaches here.
   */
  env: Record<string, string | { secret: string }>;
  /** Where the session reaches Orchard (its API and LLM proxy) from inside the cluster. */
  orchardUrl: string;
  /** The session's wall budget; the Job's deadline is this plus `graceSeconds`. */
  maxWallMinutes: number;
  /** Setup and the last checkpoint happen outside the agent's wall budget; default 600. */
  graceSeconds?: number;
  /** How long a finished Job (and its pod's logs) stays; default one hour. */
  ttlSecondsAfterFinished?: number;
  namespace?: string;
  /** The Secret holding the project's secrets (key = secret name); default `<slug>-secrets`, as for apps. */
  secretName?: string;
  /** The Secret holding the session's delegated token under `token`; default `orchard-agent-<sessionId>`. */
  tokenSecretName?: string;
  /** The workspace volume's size limit; default `10Gi`. */
  workspaceSize?: string;
}

/** The label every agent session's Job and pod carry, with the session id as value. */
export const AGENT_SESSION_LABEL = 'orchard.dev/agent-session';
/** Where the repository is checked out in the pod; the only writable places are it, HOME and /tmp. */
export const AGENT_WORKSPACE_DIR = '/workspace';
const HOME = '/home/agent';
const UID = 1000;
const LABEL_VALUE = /^[A-Za-z0-9]([A-Za-z0-9._-]{0,61}[A-Za-z0-9])?$/;
const SESSION_ID = /^[a-z0-9]([a-z0-9-]{0,46}[a-z0-9])?$/;

/**
 * A batch/v1 Job that runs one agent session on Kubernetes (scaled installs): the container runs
 * `orchard agent run-session <sessionId>`, which loads the session, checks the workspace out into
 * the `workspace` volume, runs setup and the agent, and reports back to `orchardUrl` with the
 * session's delegated token. Never retried (`backoffLimit: 0`): a session resumes from its own
 * checkpoint when Orchard starts it again. Non-root, no capabilities, read-only root filesystem.
 * Pure: same input, same YAML.
 */
export function renderAgentJob(input: AgentJobInput): string {
  if (!SESSION_ID.test(input.sessionId))
    throw new ValidationError(`"${input.sessionId}" is not an agent session id.`, [
      { field: 'sessionId', message: 'must be lower-case letters, digits and "-" (a uuid)' },
    ]);
  for (const [field, value] of [
    ['projectSlug', input.projectSlug],
    ['runtime', input.runtime],
  ] as const)
    if (!LABEL_VALUE.test(value))
      throw new ValidationError(`"${value}" cannot be a Kubernetes label value.`, [
        { field, message: 'must be 1–63 letters, digits, ".", "-" and "_"' },
      ]);
  const name = `orchard-agent-${input.sessionId}`;
  const labels = {
    'app.kubernetes.io/name': 'orchard-agent',
    'app.kubernetes.io/component': 'agent-session',
    'app.kubernetes.io/managed-by': 'orchard',
    [AGENT_SESSION_LABEL]: input.sessionId,
    'orchard.dev/project': input.projectSlug,
    'orchard.dev/agent-runtime': input.runtime,
  };
  const job = {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name, ...(input.namespace ? { namespace: input.namespace } : {}), labels },
    spec: {
      backoffLimit: 0,
      activeDeadlineSeconds: Math.ceil(input.maxWallMinutes * 60) + (input.graceSeconds ?? 600),
      ttlSecondsAfterFinished: input.ttlSecondsAfterFinished ?? 3600,
      template: {
        metadata: { labels },
        spec: {
          restartPolicy: 'Never',
          // The session talks to Orchard with its own token; it has no business with the cluster's API.
          automountServiceAccountToken: false,
          enableServiceLinks: false,
          // SIGTERM (deadline, cancel) gives the session time to write its last checkpoint.
          terminationGracePeriodSeconds: 30,
          securityContext: {
            runAsNonRoot: true,
            runAsUser: UID,
            runAsGroup: UID,
            fsGroup: UID,
            seccompProfile: { type: 'RuntimeDefault' },
          },
          containers: [
            {
              name: 'agent',
              image: input.image,
              command: ['orchard', 'agent', 'run-session', input.sessionId],
              workingDir: AGENT_WORKSPACE_DIR,
              env: containerEnv(input, name),
              resources: { requests: input.resources, limits: input.resources },
              securityContext: {
                allowPrivilegeEscalation: false,
                readOnlyRootFilesystem: true,
                runAsNonRoot: true,
                capabilities: { drop: ['ALL'] },
              },
              volumeMounts: [
                { name: 'workspace', mountPath: AGENT_WORKSPACE_DIR },
                { name: 'home', mountPath: HOME },
                { name: 'tmp', mountPath: '/tmp' },
              ],
            },
          ],
          volumes: [
            { name: 'workspace', emptyDir: { sizeLimit: input.workspaceSize ?? '10Gi' } },
            // Package managers write caches under HOME; the root filesystem stays read-only.
            { name: 'home', emptyDir: {} },
            { name: 'tmp', emptyDir: {} },
          ],
        },
      },
    },
  };
  return (
    `# Rendered by Orchard for agent session ${input.sessionId} of project ${input.projectSlug}.\n` +
    `---\n${YAML.stringify(job, { lineWidth: 0, aliasDuplicateObjects: false })}`
  );
}

function containerEnv(input: AgentJobInput, jobName: string) {
  const secretName = input.secretName ?? `${input.projectSlug}-secrets`;
  const fixed = [
    { name: 'HOME', value: HOME },
    { name: 'ORCHARD_URL', value: input.orchardUrl },
    { name: 'ORCHARD_AGENT_SESSION', value: input.sessionId },
    {
      name: 'ORCHARD_TOKEN',
      valueFrom: { secretKeyRef: { name: input.tokenSecretName ?? jobName, key: 'token' } },
    },
  ];
  const taken = new Set(fixed.map((e) => e.name));
  const fromProfile = Object.entries(input.env)
    .filter(([key]) => !taken.has(key))
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([key, value]) =>
      typeof value === 'string'
        ? { name: key, value }
        : { name: key, valueFrom: { secretKeyRef: { name: secretName, key: value.secret } } },
    );
  return [...fromProfile, ...fixed];
}
