import YAML from 'yaml';
import { z } from 'zod';
import { UnprocessableError } from '../../platform/errors.ts';

/** Where a repository declares how its app runs. */
export const APP_SETTINGS_PATH = '.orchard/app.yml';

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** Set by Orchard for every app; a repository may not override them. */
const RESERVED_ENV = new Set(['PORT', 'DATA_DIR', 'HOME', 'PATH', 'TMPDIR']);

/** `.orchard/app.yml`: how to build and start the app, and how to tell it is healthy. */
export const AppSettings = z
  .strictObject({
    /** Shell command that starts the server; it must listen on `$PORT`. */
    start: z.string().trim().min(1, 'must be a command such as "node server.js"'),
    /** Shell command run once per release, in the release directory, before the first start. */
    build: z.string().trim().min(1).optional(),
    /** Answers 2xx when the app is ready for traffic. */
    healthPath: z
      .string()
      .regex(/^\/[^\s]*$/, 'must be a path starting with "/", such as /health')
      .default('/health'),
    env: z
      .record(z.string(), z.union([z.string(), z.number(), z.boolean()]).transform(String))
      .superRefine((env, ctx) => {
        for (const name of Object.keys(env)) {
          if (!ENV_NAME.test(name))
            ctx.addIssue({ code: 'custom', path: [name], message: 'names use letters, digits and "_"' });
          else if (RESERVED_ENV.has(name))
            ctx.addIssue({
              code: 'custom',
              path: [name],
              message: 'PORT, DATA_DIR, HOME, PATH and TMPDIR are set by Orchard',
            });
        }
      })
      .default({}),
    /** Names of project secrets injected as environment variables (values never leave the vault otherwise). */
    secrets: z.array(z.string().regex(ENV_NAME, 'names use letters, digits and "_"')).default([]),
    /** `postgres`: a PostgreSQL database of its own per environment, given to the app as DATABASE_URL. */
    database: z.enum(['postgres'], { error: 'must be "postgres" (or left out for none)' }).optional(),
    /**
     * Shell command that migrates the app's data (`node scripts/migrate.js`): run in the sandbox,
     * with the app's environment, at each deploy before the new release takes traffic.
     */
    migrate: z.string().trim().min(1).optional(),
  })
  .superRefine((settings, ctx) => {
    if (settings.database && 'DATABASE_URL' in settings.env)
      ctx.addIssue({
        code: 'custom',
        path: ['env', 'DATABASE_URL'],
        message: 'is set by Orchard for an app with "database: postgres"; remove one of them',
      });
  });
export type AppSettings = z.infer<typeof AppSettings>;

/** Parses and validates `.orchard/app.yml`; a 422 names the offending field. */
export function parseAppSettings(text: string, where = APP_SETTINGS_PATH): AppSettings {
  let raw: unknown;
  try {
    raw = YAML.parse(text);
  } catch (error) {
    throw new UnprocessableError(`${where} is not valid YAML: ${(error as Error).message.split('\n')[0]}`);
  }
  const parsed = AppSettings.safeParse(raw ?? {});
  if (!parsed.success) {
    const errors = parsed.error.issues.map((issue) => ({
      field: issue.path.length ? issue.path.join('.') : '(root)',
      message: issue.message,
    }));
    throw new UnprocessableError(
      `${where} is invalid: ${errors.map((e) => `${e.field}: ${e.message}`).join('; ')}`,
      { errors },
    );
  }
  return parsed.data;
}
