import type { Config } from '../../config.ts';
import type { Queryable } from '../../platform/db/pool.ts';
import {
  type EnvironmentWithSlug,
  findEnvironmentByLabel,
  findRunningEnvironmentOnPort,
} from './environment-store.ts';
import { labelFromHost } from './serve/host-label.ts';
import type { AppUrls } from './serve/urls.ts';

/** A host and port a client connects to (the browser robot's guard takes these). */
export interface HostPort {
  hostname: string;
  port: number;
}

const defaultPort = (url: URL) => Number(url.port) || (url.protocol === 'https:' ? 443 : 80);

type TargetDeps = { db: Queryable; config: Pick<Config, 'port' | 'deploy'>; urls: AppUrls };

/**
 * The environment a URL points at, or undefined when it is none of Orchard's. An environment
 * answers at its label on Orchard's port (`<label>.localhost`, `<label>.<deploy.domain>`, its public
 * URL behind a proxy) and on its app's direct port on 127.0.0.1. Orchard's own UI and API are never
 * part of one.
 */
export async function findEnvironmentAtUrl(
  deps: TargetDeps,
  raw: string | URL,
): Promise<EnvironmentWithSlug | undefined> {
  const url = new URL(raw);
  const host = url.hostname
    .toLowerCase()
    .replace(/^\[|\]$/g, '')
    .replace(/\.$/, '');
  const port = defaultPort(url);
  const orchardPort = deps.urls.listenPort ?? deps.config.port;
  const label = labelFromHost(host, deps.config.deploy.domain);
  if (label) {
    const published = new URL(deps.urls.app(label));
    const onOrchard =
      port === orchardPort || (host === published.hostname && port === defaultPort(published));
    return onOrchard ? findEnvironmentByLabel(deps.db, label) : undefined;
  }
  if (host === 'localhost' || host === '127.0.0.1') return findRunningEnvironmentOnPort(deps.db, port);
  return undefined;
}

/** Every host:port the environment a URL points at answers on (see findEnvironmentAtUrl). */
export async function environmentTargets(
  deps: TargetDeps,
  raw: string | URL,
): Promise<HostPort[] | undefined> {
  const env = await findEnvironmentAtUrl(deps, raw);
  return env && targetsOf(deps, env);
}

/** Every host:port an environment answers on: its host names on Orchard's port, its app's own port. */
export function targetsOf(deps: Pick<TargetDeps, 'config' | 'urls'>, env: EnvironmentWithSlug): HostPort[] {
  const orchardPort = deps.urls.listenPort ?? deps.config.port;
  const domain = deps.config.deploy.domain;
  const published = new URL(deps.urls.app(env.host_label));
  const targets: HostPort[] = [
    { hostname: `${env.host_label}.localhost`, port: orchardPort },
    { hostname: `${env.host_label}.${domain}`, port: orchardPort },
    { hostname: published.hostname, port: defaultPort(published) },
  ];
  if (env.status === 'running' && env.port) {
    targets.push({ hostname: '127.0.0.1', port: env.port }, { hostname: 'localhost', port: env.port });
  }
  return targets.filter(
    (t, i) => targets.findIndex((u) => u.hostname === t.hostname && u.port === t.port) === i,
  );
}
