import { createMasker } from '../../secrets/index.ts';
import type { Target } from '../providers/resolve-targets.ts';
import type { AttemptOutcome } from '../telemetry/attempt-record.ts';
import type { AttemptResponse, AttemptTarget } from '../telemetry/call-telemetry.ts';
import { attemptRow } from './attempt-row.ts';
import type { CallState } from './call-state.ts';
import type { GatewayDeps } from './gateway-deps.ts';

export type AttemptSpan = ReturnType<CallState['telemetry']['startAttempt']>;
type RowFields = { outcome: AttemptOutcome; startedAt: Date } & Partial<Parameters<typeof attemptRow>[0]>;

/** Where one model's attempts are booked: `llm_calls` rows, span and metrics, and the call's failure list. */
export class AttemptLedger {
  constructor(
    private readonly deps: GatewayDeps,
    private readonly call: CallState,
    private readonly model: Target,
    readonly target: AttemptTarget,
    private readonly fallbackFrom: string | null,
  ) {}

  record(retryIndex: number, fields: RowFields, span: AttemptSpan, response: AttemptResponse = {}) {
    const row = attemptRow({
      callId: this.call.callId,
      attempt: this.call.attempts,
      retryIndex,
      target: this.model,
      alias: this.call.request.alias ?? null,
      fallbackFrom: retryIndex === 0 ? this.fallbackFrom : null,
      context: this.call.context,
      knownKeys: this.deps.registry.knownKeys(),
      ...fields,
    });
    this.call.telemetry.endAttempt(span, this.target, row, response);
  }

  /** Adds to the list LlmUnavailableError reports; reasons retrying cannot fix are kept, keys masked. */
  fail(failure: { type: string; status?: number; message?: string; retryable?: boolean }) {
    this.call.failures.push({
      provider: this.model.provider.name,
      model: this.model.modelId,
      errorType: failure.type,
      ...(failure.status ? { status: failure.status } : {}),
      ...(failure.message && failure.retryable === false
        ? { message: createMasker(this.deps.registry.knownKeys())(failure.message).slice(0, 200) }
        : {}),
    });
  }
}
