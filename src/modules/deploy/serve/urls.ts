import type { Config } from '../../../config.ts';

/**
 * The URLs of deployed apps. Apps answer on Orchard's own port under `<label>.<domain>`; behind a
 * public URL (TLS, a reverse proxy) its scheme and port are used instead.
 */
export class AppUrls {
  /** The port Orchard's HTTP server actually listens on (set when it starts listening). */
  listenPort: number | undefined;

  constructor(private readonly config: Config) {}

  app(label: string): string {
    const { publicUrl, deploy } = this.config;
    if (publicUrl) {
      const u = new URL(publicUrl);
      return `${u.protocol}//${label}.${deploy.domain}${u.port ? `:${u.port}` : ''}/`;
    }
    const port = this.listenPort ?? this.config.port;
    return `http://${label}.${deploy.domain}${port === 80 ? '' : `:${port}`}/`;
  }

  /** Orchard's own origins (space-separated): deployed apps allow these to frame them (the Preview pane). */
  origins(): string {
    if (this.config.publicUrl) return new URL(this.config.publicUrl).origin;
    const port = this.listenPort ?? this.config.port;
    return `http://localhost:${port} http://127.0.0.1:${port}`;
  }

  /**
   * Orchard's origin as seen from an app's host: the public URL's, else the app host without its
   * label (`staging--shop.localhost:3000` → `localhost:3000`), where the browser's Orchard session is.
   */
  orchardFor(appHost: string, proto: 'http' | 'https'): string {
    if (this.config.publicUrl) return new URL(this.config.publicUrl).origin;
    const dot = appHost.indexOf('.');
    return `${proto}://${dot > 0 ? appHost.slice(dot + 1) : appHost}`;
  }

  /** The app's own port: reachable only from the machine Orchard runs on. */
  direct(port: number | null): string | null {
    return port ? `http://127.0.0.1:${port}/` : null;
  }
}
