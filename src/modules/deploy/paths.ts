import path from 'node:path';

/** The environment part of a host label (`preview-feat-x` of `preview-feat-x--shop`): a per-project unique directory name. */
export function envDirName(label: string, slug: string): string {
  return label.endsWith(`--${slug}`) ? label.slice(0, -(slug.length + 2)) : label;
}

/** `<home>/releases/<slug>/<release id>`: the commit's tree plus its build output. */
export function releaseDir(home: string, slug: string, releaseId: string) {
  return path.join(home, 'releases', slug, releaseId);
}

/** `<home>/data/<slug>/<env>`: the app's DATA_DIR, kept across releases. */
export function dataDir(home: string, slug: string, label: string) {
  return path.join(home, 'data', slug, envDirName(label, slug));
}

/** `<home>/logs/<slug>/<env>.log`: the environment's app log. */
export function logFile(home: string, slug: string, label: string) {
  return path.join(home, 'logs', slug, `${envDirName(label, slug)}.log`);
}

/** `<home>/logs/<slug>/releases/<id>.build.log`: a release's build output. */
export function buildLogFile(home: string, slug: string, releaseId: string) {
  return path.join(home, 'logs', slug, 'releases', `${releaseId}.build.log`);
}
