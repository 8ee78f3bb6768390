/**
 * A tiny router: patterns like `/api/photos/:id`, matched in the order they were added.
 * `match` tells a wrong method (405) apart from an unknown path (404).
 */
export class Router {
  #routes = [];

  add(method, pattern, handler) {
    const names = [];
    const source = pattern
      .split('/')
      .filter(Boolean)
      .map((segment) => {
        if (!segment.startsWith(':')) return `/${segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`;
        names.push(segment.slice(1));
        return '/([^/]+)';
      })
      .join('');
    this.#routes.push({ method, pattern, regex: new RegExp(`^${source}/?$`), names, handler });
  }

  /**
   * Returns `{ handler, params, pattern }`, `{ allowed }` when only other methods match, or null. The route
   * with the fewest parameters wins, so `/api/posts/popular` beats `/api/posts/:id`.
   */
  match(method, pathname) {
    const allowed = new Set();
    let best;
    for (const route of this.#routes) {
      const found = route.regex.exec(pathname);
      if (!found) continue;
      if (route.method !== method) allowed.add(route.method);
      else if (!best || route.names.length < best.route.names.length) best = { route, found };
    }
    if (!best) return allowed.size ? { allowed: [...allowed] } : null;
    const params = {};
    try {
      best.route.names.forEach((name, i) => {
        params[name] = decodeURIComponent(best.found[i + 1]);
      });
    } catch {
      return null;
    }
    return { handler: best.route.handler, params, pattern: best.route.pattern };
  }
}
