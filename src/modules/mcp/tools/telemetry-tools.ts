import { z } from 'zod';
import type { Clock } from '../../../platform/clock.ts';
import type { Db } from '../../../platform/db/pool.ts';
import {
  ErrorGroupsQuery,
  LogSearchQuery,
  listAlertRules,
  listEnvironmentErrorGroups,
  readEnvironmentLogs,
  readEnvironmentTrace,
} from '../../observability/index.ts';
import { defineTool } from '../mcp-tool.ts';
import { Slug } from './tool-inputs.ts';

const Env = z.string().min(1).max(300).describe('staging, production or preview/<branch>');

/** observe: a deployed app's own telemetry — its logs, one trace, its error groups and alert rules. */
export function telemetryTools(deps: { db: Db; clock: Clock }) {
  return [
    defineTool({
      name: 'search_app_logs',
      set: 'observe',
      title: "Search an app's logs",
      description:
        'Log records the app of an environment exported (OTLP), newest first: words and "phrases" in q, severity at least (debug, info, warn, error, fatal), attr key=value filters, a trace id, and a time range (default the last hour). Each record names its trace.',
      input: LogSearchQuery.extend({ slug: Slug, env: Env }),
      route: { method: 'GET', url: '/api/projects/:slug/environments/:env/telemetry/logs' },
      slugOf: (args) => args.slug,
      run: (ctx, { slug, env, ...query }) => readEnvironmentLogs(deps, ctx.actor, { slug, env }, query),
    }),
    defineTool({
      name: 'get_trace',
      set: 'observe',
      title: 'Read a trace',
      description:
        "Every span of one trace of an environment — the app's and Orchard's own (deploys, browser checks) — with offsets and durations from the trace's start, status, attributes, events and how many log records each span has.",
      input: z.object({
        slug: Slug,
        env: Env,
        traceId: z.string().regex(/^[0-9a-fA-F]{32}$/, 'A trace id is 32 hex digits.'),
      }),
      route: { method: 'GET', url: '/api/projects/:slug/environments/:env/telemetry/traces/:traceId' },
      slugOf: (args) => args.slug,
      run: (ctx, args) => readEnvironmentTrace(deps, ctx.actor, args),
    }),
    defineTool({
      name: 'list_error_groups',
      set: 'observe',
      title: "List an app's errors",
      description:
        "An environment's errors grouped by fingerprint, last seen first: type, message, count, first and last seen, the release they appeared in, status (open, resolved, ignored) and the last stack.",
      input: ErrorGroupsQuery.extend({ slug: Slug, env: Env }),
      route: { method: 'GET', url: '/api/projects/:slug/environments/:env/errors' },
      slugOf: (args) => args.slug,
      run: (ctx, { slug, env, ...query }) => listEnvironmentErrorGroups(deps.db, ctx, { slug, env }, query),
    }),
    defineTool({
      name: 'list_alert_rules',
      set: 'observe',
      title: "List an environment's alert rules",
      description:
        "An environment's alert rules with their state (ok, pending, firing, resolved), last value, last evaluation and silence.",
      input: z.object({ slug: Slug, env: Env }),
      route: { method: 'GET', url: '/api/projects/:slug/environments/:env/alerts' },
      slugOf: (args) => args.slug,
      run: (ctx, args) => listAlertRules(deps, ctx.actor, args),
    }),
  ];
}
