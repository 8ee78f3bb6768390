export interface Timeouts {
  connectMs: number;
  firstTokenMs: number;
  idleMs: number;
}

export type TimeoutKind = 'connect_timeout' | 'first_token_timeout' | 'idle_timeout';

/**
 * One timer per attempt, moving through three phases: until the response starts (connect),
 * until the first content chunk (first token, counted from the request), then between chunks
 * (idle: a stalled stream).
 */
export class Watchdog {
  private phase: 'connect' | 'first' | 'idle' | 'done' = 'connect';
  private timer: NodeJS.Timeout;
  private lastChunk = 0;

  constructor(
    private readonly timeouts: Timeouts,
    private readonly startedAt: number,
    private readonly now: () => number,
    private readonly fire: (kind: TimeoutKind) => void,
  ) {
    this.timer = setTimeout(() => this.fire('connect_timeout'), timeouts.connectMs);
  }

  /** The response headers arrived. */
  connected() {
    if (this.phase !== 'connect') return;
    this.phase = 'first';
    const left = Math.max(0, this.timeouts.firstTokenMs - (this.now() - this.startedAt));
    this.rearm(left, () => this.fire('first_token_timeout'));
  }

  /** A content chunk arrived: only a timestamp on the hot path; the idle timer checks it when it fires. */
  chunk() {
    if (this.phase === 'idle') {
      this.lastChunk = this.now();
      return;
    }
    if (this.phase === 'done') return;
    this.phase = 'idle';
    this.lastChunk = this.now();
    this.rearm(this.timeouts.idleMs, this.checkIdle);
  }

  stop() {
    this.phase = 'done';
    clearTimeout(this.timer);
  }

  private readonly checkIdle = () => {
    if (this.phase !== 'idle') return;
    const quiet = this.now() - this.lastChunk;
    if (quiet >= this.timeouts.idleMs) this.fire('idle_timeout');
    else this.rearm(this.timeouts.idleMs - quiet, this.checkIdle);
  };

  private rearm(ms: number, onFire: () => void) {
    clearTimeout(this.timer);
    this.timer = setTimeout(onFire, ms);
  }
}
