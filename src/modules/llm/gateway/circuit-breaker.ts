import type { Clock } from '../../../platform/clock.ts';

export type BreakerState = 'closed' | 'open' | 'half-open';

export interface BreakerSnapshot {
  provider: string;
  state: BreakerState;
  consecutiveFailures: number;
  openedAt: string | null;
  /** When an open circuit lets the next probe through. */
  probeAt: string | null;
}

/**
 * A circuit per provider: after `failureThreshold` failures in a row it opens and calls skip the
 * provider (straight to the next model of the chain); after `cooldownMs` one probe is let through
 * (half-open); its success closes the circuit, its failure opens it for another cooldown.
 * State is per process: each replica learns a provider's health from its own calls.
 */
export class CircuitBreaker {
  private state: BreakerState = 'closed';
  private failures = 0;
  private openedAt: number | null = null;
  private probing = false;

  constructor(
    readonly provider: string,
    private readonly options: { failureThreshold: number; cooldownMs: number },
    private readonly clock: Clock,
    private readonly onChange?: (state: BreakerState) => void,
  ) {}

  /** Whether a call may go to this provider now; in half-open, only one probe at a time. */
  tryAcquire(): boolean {
    if (this.state === 'closed') return true;
    if (this.state === 'open') {
      if (this.clock.now().getTime() - (this.openedAt ?? 0) < this.options.cooldownMs) return false;
      this.set('half-open');
    }
    if (this.probing) return false;
    this.probing = true;
    return true;
  }

  success() {
    this.failures = 0;
    this.probing = false;
    this.openedAt = null;
    if (this.state !== 'closed') this.set('closed');
  }

  failure() {
    this.failures += 1;
    const wasProbe = this.state === 'half-open';
    this.probing = false;
    if (wasProbe || this.failures >= this.options.failureThreshold) {
      this.openedAt = this.clock.now().getTime();
      if (this.state !== 'open') this.set('open');
    }
  }

  /** An attempt that ended for reasons that say nothing about the provider (caller abort, budget). */
  release() {
    this.probing = false;
  }

  get isOpen() {
    return this.state === 'open';
  }

  snapshot(): BreakerSnapshot {
    const opened = this.openedAt;
    return {
      provider: this.provider,
      state: this.state,
      consecutiveFailures: this.failures,
      openedAt: opened === null ? null : new Date(opened).toISOString(),
      probeAt: opened === null ? null : new Date(opened + this.options.cooldownMs).toISOString(),
    };
  }

  private set(state: BreakerState) {
    this.state = state;
    this.onChange?.(state);
  }
}

/** One breaker per provider name, created on first use. */
export class BreakerBoard {
  private readonly breakers = new Map<string, CircuitBreaker>();

  constructor(
    private readonly options: { failureThreshold: number; cooldownMs: number },
    private readonly clock: Clock,
    private readonly onChange?: (provider: string, state: BreakerState) => void,
  ) {}

  get(provider: string): CircuitBreaker {
    let breaker = this.breakers.get(provider);
    if (!breaker) {
      breaker = new CircuitBreaker(provider, this.options, this.clock, (s) => this.onChange?.(provider, s));
      this.breakers.set(provider, breaker);
    }
    return breaker;
  }

  snapshot(provider: string): BreakerSnapshot {
    return (
      this.breakers.get(provider)?.snapshot() ?? {
        provider,
        state: 'closed',
        consecutiveFailures: 0,
        openedAt: null,
        probeAt: null,
      }
    );
  }
}
