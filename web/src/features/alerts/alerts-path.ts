/** The alerts page of an environment (`preview/x` travels as one segment). */
export const alertsPath = (slug: string, env: string) =>
  `/projects/${encodeURIComponent(slug)}/environments/${encodeURIComponent(env)}/alerts`;
