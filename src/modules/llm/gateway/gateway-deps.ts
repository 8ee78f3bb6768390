import type { Clock } from '../../../platform/clock.ts';
import type { Logger } from '../../../platform/log.ts';
import type { ProviderRegistry } from '../providers/registry.ts';
import type { TelemetryDeps } from '../telemetry/call-telemetry.ts';
import type { RetryPolicy } from './backoff.ts';
import type { BreakerBoard } from './circuit-breaker.ts';
import type { Timeouts } from './watchdog.ts';

/** What one gateway shares across its calls; tests inject clock, random and sleep. */
export interface GatewayDeps {
  registry: ProviderRegistry;
  aliases: Record<string, string[]>;
  breakers: BreakerBoard;
  telemetry: TelemetryDeps;
  policy: RetryPolicy;
  timeouts: Timeouts;
  logger: Logger;
  /** Wall time for records and the breaker's cooldown. */
  clock: Clock;
  /** Monotonic milliseconds for durations and time to first token. */
  now: () => number;
  random: () => number;
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** `provider/model` keys that refused a prefill in this process: resumed with a continue turn. */
  prefillRefused: Set<string>;
}
