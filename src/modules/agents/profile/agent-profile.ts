import { z } from 'zod';

/** Where a project configures its coding agent (the first that exists at the ref). */
export const AGENT_PROFILE_FILES = ['.orchard/agent.yml', '.orchard/agent.yaml'];

export const AGENT_RUNTIMES = ['llm-agent', 'claude-code', 'codex', 'gemini-cli', 'scaffold'] as const;
export type AgentRuntimeName = (typeof AGENT_RUNTIMES)[number];

/** Lockfiles whose contents key the setup cache when the profile names none. */
export const DEFAULT_CACHE_KEY_FILES = [
  'package-lock.json',
  'npm-shrinkwrap.json',
  'yarn.lock',
  'pnpm-lock.yaml',
  'bun.lock',
  'bun.lockb',
  'requirements.txt',
  'poetry.lock',
  'uv.lock',
  'Pipfile.lock',
  'Gemfile.lock',
  'go.sum',
  'Cargo.lock',
  'composer.lock',
];

/** A mapping that takes only these keys; a typo is an error that lists the keys it could have been. */
function closed<T extends z.core.$ZodLooseShape>(shape: T) {
  const known = Object.keys(shape).join(', ');
  return z.strictObject(shape, {
    error: (issue) =>
      issue.code === 'unrecognized_keys' ? `is not a known key (known: ${known})` : undefined,
  });
}

const positive = (max: number) =>
  z.number().positive('must be more than 0').max(max, `must be at most ${max}`);
const wholePositive = (max: number) => positive(max).int('must be a whole number');

/**
 * Variables the sandbox cannot work without: HOME and TMPDIR are the run's private writable
 * directories and PATH finds node; a profile that set them would break every command, so they
 * are refused here (and Orchard's own values win at run time anyway, see profile-env.ts).
 */
export const SANDBOX_VARIABLES = ['PATH', 'HOME', 'TMPDIR'];

/** Orchard's own variables (its URL, the session, its token) are set by Orchard and not overridable. */
const EnvName = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_]{0,127}$/, 'is not a valid environment variable name')
  .refine((name) => !name.toUpperCase().startsWith('ORCHARD_'), 'is reserved for Orchard (ORCHARD_*)')
  .refine(
    (name) => !SANDBOX_VARIABLES.includes(name),
    `is set by Orchard in the sandbox (${SANDBOX_VARIABLES.join(', ')})`,
  );
const SecretName = z.string().regex(/^[A-Z_][A-Z0-9_]{0,127}$/, 'is not a secret name (A-Z, 0-9, _)');
/** `{ secret: NAME }`: the value of the project secret NAME, given to `setup` commands only, never shown. */
const SecretRef = closed({ secret: SecretName });
const EnvValue = z.union([z.union([z.string(), z.number(), z.boolean()]).transform(String), SecretRef], {
  error: (issue) =>
    issue.code === 'invalid_union'
      ? 'expected a string, a number, true or false, or { secret: NAME }'
      : undefined,
});

/** A path inside the workspace: relative, `/`-separated, never leaving it. */
const WorkspacePath = z
  .string()
  .min(1, 'must not be empty')
  .max(500)
  .refine(
    (p) => !p.startsWith('/') && !p.includes('\\') && !p.includes('\0') && !p.split('/').includes('..'),
    'must be a path inside the repository (relative, no "..")',
  );

const Command = z.string().trim().min(1, 'must not be empty');
/** A host name, `*.` for its subdomains, optionally `:port`. */
const Host = z
  .string()
  .regex(
    /^(\*\.)?[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*(:\d{1,5})?$/,
    'must be a host name in lower case (e.g. registry.npmjs.org, *.pypi.org, host:8443)',
  );
/** Kubernetes quantities, in the forms people write: `1`, `0.5`, `500m`; `512Mi`, `2Gi`, `1G`. */
const Cpu = z
  .union([z.number().positive().transform(String), z.string()])
  .pipe(z.string().regex(/^\d+(\.\d+)?m?$/, 'must be a CPU amount like "1", "0.5" or "500m"'));
const Memory = z
  .union([z.number().int().positive().transform(String), z.string()])
  .pipe(z.string().regex(/^\d+(\.\d+)?([KMGT]i?|k)?$/, 'must be a memory amount like "512Mi" or "2Gi"'));

export const AgentProfile = closed({
  runtime: z.enum(AGENT_RUNTIMES).default('llm-agent'),
  /** A model alias (`coder`) or `provider/model`. */
  model: z
    .string()
    .regex(/^[A-Za-z0-9][\w.:@-]*(\/[\w.:@/-]+)?$/, 'must be a model alias (coder) or provider/model')
    .max(200)
    .default('coder'),
  budget: closed({
    maxSteps: wholePositive(10_000).default(40),
    maxTokens: wholePositive(1_000_000_000).default(400_000),
    maxCostUsd: positive(10_000).default(2),
    /** Also the Kubernetes Job's deadline (plus time for setup and the last checkpoint). */
    maxWallMinutes: positive(24 * 60).default(20),
  }).prefault({}),
  /** Run before the agent starts in each run's workspace; restored from the setup cache while the key is unchanged. */
  setup: z.array(Command.max(10_000)).max(50).default([]),
  cacheKey: z
    .array(WorkspacePath)
    .max(50)
    .default(() => [...DEFAULT_CACHE_KEY_FILES]),
  commands: closed({
    /** Prefixes of the commands the agent may run (word by word); absent: any command. */
    allow: z
      .array(Command.max(500))
      .min(1, 'list at least one command, or leave `allow` out')
      .max(200)
      .optional(),
  }).prefault({}),
  network: closed({
    /** Hosts the agent's commands may reach besides Orchard itself; none by default. */
    allow: z.array(Host).max(100).default([]),
  }).prefault({}),
  env: z
    .record(EnvName, EnvValue, {
      error: (issue) =>
        issue.code === 'invalid_key' ? (issue.issues?.[0]?.message ?? 'is not a valid name') : undefined,
    })
    .default({}),
  resources: closed({ cpu: Cpu.default('1'), memory: Memory.default('2Gi') }).prefault({}),
  /** The container image of the Kubernetes Job that runs the session (scaled installs). */
  image: z
    .string()
    .regex(/^[\w.\-/:@]+$/, 'must be an image reference like node:20-bookworm')
    .max(500)
    .default('node:20-bookworm'),
});
export type AgentProfile = z.output<typeof AgentProfile>;
export type AgentProfileInput = z.input<typeof AgentProfile>;
export type AgentEnvValue = AgentProfile['env'][string];

/** The profile of a project without `.orchard/agent.yml` (frozen: copy it to change it). */
export const DEFAULT_AGENT_PROFILE: AgentProfile = deepFreeze(AgentProfile.parse({}));

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') for (const v of Object.values(value)) deepFreeze(v);
  return Object.freeze(value);
}
