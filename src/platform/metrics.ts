import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

/** A Prometheus registry per process (tests build several). Modules add their own metrics to it. */
export interface Metrics {
  registry: Registry;
  httpDuration: Histogram<'method' | 'route' | 'status'>;
  counter<T extends string>(name: string, help: string, labelNames?: readonly T[]): Counter<T>;
  gauge<T extends string>(name: string, help: string, labelNames?: readonly T[]): Gauge<T>;
  histogram<T extends string>(
    name: string,
    help: string,
    labelNames?: readonly T[],
    buckets?: number[],
  ): Histogram<T>;
}

export function createMetrics(options: { defaultMetrics?: boolean } = {}): Metrics {
  const registry = new Registry();
  if (options.defaultMetrics !== false) collectDefaultMetrics({ register: registry });
  const existing = <M>(name: string) => registry.getSingleMetric(name) as M | undefined;
  const metrics: Metrics = {
    registry,
    httpDuration: new Histogram({
      name: 'http_request_duration_seconds',
      help: 'HTTP request duration by route and status',
      labelNames: ['method', 'route', 'status'] as const,
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
    counter: (name, help, labelNames = []) =>
      existing(name) ?? new Counter({ name, help, labelNames, registers: [registry] }),
    gauge: (name, help, labelNames = []) =>
      existing(name) ?? new Gauge({ name, help, labelNames, registers: [registry] }),
    histogram: (name, help, labelNames = [], buckets) =>
      existing(name) ??
      new Histogram({ name, help, labelNames, registers: [registry], ...(buckets ? { buckets } : {}) }),
  };
  return metrics;
}
