import type { Db } from '../../platform/db/pool.ts';
import { type EventBus, notify } from '../../platform/events/index.ts';
import type { Actor } from '../../platform/http/actor.ts';

const CANCEL_CHANNEL = 'orchard_mcp_cancel';

/**
 * Long tool calls in progress in this process, so a client's `notifications/cancelled` stops them.
 * The server is stateless: the cancellation is a POST of its own and may reach another Orchard
 * process than the call, so it is passed on over the event bus. A call is named by the caller's
 * token and its JSON-RPC id: nobody can cancel another caller's call.
 */
export class InFlightCalls {
  private readonly calls = new Map<string, AbortController>();
  /** Listening only while calls are in flight here (a LISTEN connection is not free). */
  private subscription?: () => void;

  constructor(
    private readonly db: Db,
    private readonly bus?: EventBus,
  ) {}

  static key(actor: Actor, requestId: string | number): string {
    return `${actor.tokenId ?? actor.userId}:${JSON.stringify(requestId)}`;
  }

  /** Tracks a call; its signal aborts when the client cancels it. Call `done` when it ends. */
  track(key: string): { signal: AbortSignal; done(): void } {
    const controller = new AbortController();
    this.calls.set(key, controller);
    this.subscription ??= this.bus?.subscribe(CANCEL_CHANNEL, (payload) => this.abortHere(payload));
    return {
      signal: controller.signal,
      done: () => {
        if (this.calls.get(key) === controller) this.calls.delete(key);
        if (this.calls.size === 0) this.stopListening();
      },
    };
  }

  /** Cancels a call wherever it runs (here at once, elsewhere through the bus). */
  async cancel(key: string): Promise<void> {
    if (this.abortHere(key)) return;
    await notify(this.db, CANCEL_CHANNEL, key);
  }

  close(): void {
    this.stopListening();
    for (const controller of this.calls.values()) controller.abort(new Error('Orchard is stopping.'));
    this.calls.clear();
  }

  private stopListening() {
    this.subscription?.();
    this.subscription = undefined;
  }

  private abortHere(key: string): boolean {
    const controller = this.calls.get(key);
    if (!controller) return false;
    controller.abort(new Error('The client cancelled the call.'));
    return true;
  }
}
