/**
 * The environment for an `orchard` child process in a benchmark: ours without any Orchard or
 * database settings (so the run is reproducible), quiet logs, a bootstrap admin token, and rate
 * limits out of the way of the load generator.
 */
export function benchEnv(token: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const key of Object.keys(env))
    if (key.startsWith('ORCHARD_') || key === 'DATABASE_URL') delete env[key];
  return {
    ...env,
    ORCHARD_LOG_LEVEL: 'warn',
    ORCHARD_BOOTSTRAP_TOKEN: token,
    ORCHARD_RATE_LIMIT_TOKEN_PER_MINUTE: '100000000',
    ...extra,
  };
}
