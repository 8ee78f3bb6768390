import type { ResolveUrl } from '../../widgets/markdown.tsx';
import { apiPath, to } from '../projects/project-paths.ts';

const ABSOLUTE = /^([a-z][a-z0-9+.-]*:|\/\/|#|\?)/i;

function decode(part: string) {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}

/**
 * Where the relative links and images of a Markdown file in the repository point, as on a forge:
 * relative to the file's directory (`/x` from the repository's root), links to the file view at
 * the same ref, images to the file's raw content. Absolute addresses and `#anchors` stay as they are.
 */
export function repoUrlResolver(slug: string, refName: string, filePath: string): ResolveUrl {
  const dir = filePath.split('/').slice(0, -1);
  return (url, kind) => {
    if (ABSOLUTE.test(url)) return url;
    const hashAt = url.indexOf('#');
    const hash = hashAt === -1 ? '' : url.slice(hashAt);
    const pathPart = url.slice(0, hashAt === -1 ? undefined : hashAt).split('?')[0]!;
    const segments = pathPart.startsWith('/') ? [] : [...dir];
    for (const part of pathPart.split('/')) {
      if (part === '' || part === '.') continue;
      if (part === '..') segments.pop();
      else segments.push(decode(part));
    }
    const path = segments.join('/');
    if (kind === 'image') return apiPath.blob(slug, refName, path);
    const directory = path === '' || pathPart.endsWith('/');
    return `${directory ? to.code(slug, refName, path) : to.file(slug, refName, path)}${hash}`;
  };
}
