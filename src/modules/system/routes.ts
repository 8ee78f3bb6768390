import type { HttpApp } from '../../platform/http/server.ts';
import type { MachineWarnings } from './machine-warnings.ts';
import { SystemWarnings } from './schemas.ts';

/** `GET /api/system/warnings`: what this machine lacks, for the UI's banner (any signed-in user). */
export function systemRoutes(res: { machine: MachineWarnings }) {
  return async (app: HttpApp) => {
    app.get(
      '/api/system/warnings',
      { schema: { tags: ['system'], response: { 200: SystemWarnings } } },
      async () => ({ items: await res.machine.current() }),
    );
  };
}
