import { createServer, type Server } from 'node:http';
import type { Command } from 'commander';
import { createResources, startAlerts, startBackups, startScheduler } from '../app.ts';
import { startPartitionMaintenance } from '../modules/observability/index.ts';
import { createWorkerPool, startOperationPruner } from '../modules/operations/index.ts';
import { migrate } from '../platform/db/migrate.ts';
import { createLogger } from '../platform/log.ts';
import type { Metrics } from '../platform/metrics.ts';
import { configFor } from './load-config.ts';
import { CliError } from './run.ts';
import { onShutdown } from './shutdown.ts';

interface WorkerFlags {
  queues?: string;
  concurrency?: string;
  workerId?: string;
  leaseMs?: string;
  heartbeatMs?: string;
  pollMs?: string;
  metricsPort?: string;
  home?: string;
}

export function registerWorker(program: Command) {
  program
    .command('worker')
    .description(
      'run workers only (scaled mode): claim steps from the PostgreSQL shared with the servers (DATABASE_URL)',
    )
    .option(
      '--queues <list>',
      'comma-separated queues; name:n gives a queue its own concurrency (default: every queue)',
    )
    .option('--concurrency <n>', 'steps run at once (ORCHARD_WORKER_CONCURRENCY, default 4)')
    .option('--worker-id <id>', 'name in events and logs (default host:pid:random)')
    .option('--lease-ms <ms>', 'lease per claimed step (ORCHARD_LEASE_MS, default 30000)')
    .option('--heartbeat-ms <ms>', 'lease renewal interval (ORCHARD_HEARTBEAT_MS, default 10000)')
    .option('--poll-ms <ms>', 'poll interval when no notification arrives (ORCHARD_POLL_MS, default 1000)')
    .option('--metrics-port <port>', 'serve Prometheus /metrics on this port')
    .option('--home <dir>', 'data directory (ORCHARD_HOME)')
    .action(async (opts: WorkerFlags, command: Command) => {
      const config = configFor(command, {
        home: opts.home,
        'workers.queues': opts.queues,
        'workers.concurrency': opts.concurrency,
        'workers.leaseMs': opts.leaseMs,
        'workers.heartbeatMs': opts.heartbeatMs,
        'workers.pollMs': opts.pollMs,
      });
      if (!config.databaseUrl) {
        throw new CliError(
          'orchard worker needs DATABASE_URL: the PostgreSQL your `orchard server` replicas use.',
        );
      }
      const logger = createLogger({ level: config.logLevel });
      const res = await createResources(config, config.databaseUrl, {
        logger,
        poolSize: config.workers.concurrency + 4,
      });
      await migrate(res.db);
      // The apps this worker runs reach the platform services here: the SMTP relay and the sign-in
      // provider's back channel (each logs, and stays unavailable, when it cannot listen).
      await res.services.listen();
      // The supervisor of the apps its deploy steps start: first its app relay (deploy.relay), so
      // servers on other machines reach those apps; it restores every environment it may run.
      await res.deploy.start({ bus: res.bus }).catch(async (error) => {
        await res.services.close();
        await res.bus.close();
        await res.db.end();
        throw error;
      });
      const pool = createWorkerPool({
        res,
        registry: res.registry,
        queues: config.workers.queues,
        concurrency: config.workers.concurrency,
        workerId: opts.workerId,
        onStepFailed: res.errors.onStepFailed,
      });
      await pool.start();
      // A worker runs what `orchard up` runs beside its workers: the (multi-process safe) ticks of
      // the pipeline schedules, the alert rules, the scheduled backups, the operations' and the
      // telemetry's retention (the apps' supervisor started above).
      const scheduler = startScheduler(res);
      const alerts = startAlerts(res);
      const backups = startBackups(res);
      const pruner = startOperationPruner(res, {
        retentionDays: config.operations.retentionDays,
        routineKinds: res.registry.routineKinds(),
      });
      const partitions = startPartitionMaintenance(res, { retentionDays: config.telemetry.retentionDays });
      const metrics = opts.metricsPort
        ? await serveMetrics(res.metrics, Number(opts.metricsPort))
        : undefined;
      const queues = config.workers.queues.length
        ? config.workers.queues.join(',')
        : res.registry.queues().join(',');
      process.stdout.write(
        `Orchard worker ${pool.id} is running (queues ${queues}, concurrency ${config.workers.concurrency})\n`,
      );
      onShutdown(async () => {
        // Their ticks under way end before the pool they use closes.
        await Promise.all([
          scheduler.stop(),
          alerts.stop(),
          backups.stop(),
          pruner.stop(),
          partitions.stop(),
        ]);
        await pool.stop();
        await res.deploy.stop();
        await res.services.close();
        await res.browsers.close();
        metrics?.close();
        await res.telemetry.close();
        await res.bus.close();
        await res.llm.flush();
        await res.errors.reporter.flush();
        await res.tracing.shutdown();
        await res.db.end();
      });
    });
}

async function serveMetrics(metrics: Metrics, port: number): Promise<Server> {
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new CliError('--metrics-port must be a port number.');
  const server = createServer(async (req, res) => {
    if (req.url !== '/metrics') {
      res.writeHead(404).end();
      return;
    }
    res
      .writeHead(200, { 'content-type': metrics.registry.contentType })
      .end(await metrics.registry.metrics());
  });
  await new Promise<void>((resolve) => server.listen(port, resolve));
  return server;
}
