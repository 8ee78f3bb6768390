import { type LanguageModelUsage, Output, streamText, type TextStreamPart, type ToolSet } from 'ai';
import type { BudgetExceededError } from '../errors.ts';
import type { AttemptInput, AttemptResult } from './attempt-types.ts';
import { onResponseHeaders } from './build-model.ts';
import { type AttemptFailure, classifyError } from './classify-error.ts';
import { finishReasonOf, usageOf } from './sdk-parts.ts';
import type { LlmEvent } from './types.ts';
import { type TimeoutKind, Watchdog } from './watchdog.ts';

export type { AttemptInput, AttemptResult } from './attempt-types.ts';

type StopReason = TimeoutKind | 'caller' | 'budget' | 'error';
type Part = TextStreamPart<ToolSet>;

/**
 * One request to one model. The caller's generator drives it — `for await (part of parts)`,
 * `handle(part)` → an event to yield or nothing, `stopped` → leave the loop, then `close()` and
 * `finish()` — so that events cross a single async generator on their way to the consumer.
 */
export class AttemptRun {
  readonly parts: AsyncIterable<Part>;
  private readonly started: number;
  private readonly controller = new AbortController();
  private readonly watchdog: Watchdog;
  private readonly onCallerAbort = () => this.stop('caller');
  private stopReason: StopReason | undefined;
  private ttftMs: number | null = null;
  private streamedChars = 0;
  /** Delivered text as its chunks (joined once at the end: a growing string made GC work per chunk). */
  private readonly delivered: string[] = [];
  private failureCause: unknown;
  private budgetError: BudgetExceededError | undefined;
  private step:
    | { reason: string; raw?: string; usage: LanguageModelUsage; id?: string; model?: string }
    | undefined;

  constructor(private readonly input: AttemptInput) {
    this.started = input.now();
    this.watchdog = new Watchdog(input.timeouts, this.started, input.now, (kind) => this.stop(kind));
    onResponseHeaders(this.controller.signal, () => this.watchdog.connected());
    input.signal?.addEventListener('abort', this.onCallerAbort, { once: true });
    if (input.signal?.aborted) this.stop('caller');
    this.parts = streamText({
      model: input.model,
      messages: input.messages,
      ...(input.system ? { system: input.system } : {}),
      ...(input.tools ? { tools: input.tools } : {}),
      ...(input.schema ? { output: Output.object({ schema: input.schema }) } : {}),
      ...(input.providerOptions ? { providerOptions: input.providerOptions } : {}),
      ...(input.maxOutputTokens ? { maxOutputTokens: input.maxOutputTokens } : {}),
      ...(input.temperature !== undefined ? { temperature: input.temperature } : {}),
      maxRetries: 0,
      abortSignal: this.controller.signal,
      onError: () => {},
    }).fullStream;
  }

  get stopped(): boolean {
    return this.stopReason !== undefined;
  }

  /** One stream part in; the event for the caller out, if any. */
  handle(part: Part): LlmEvent | undefined {
    switch (part.type) {
      case 'text-delta': {
        this.chunk(part.text.length);
        const text = this.input.filter ? this.input.filter.push(part.text) : part.text;
        if (!text) return undefined;
        this.delivered.push(text);
        return { type: 'text-delta', text };
      }
      case 'tool-input-delta':
        this.chunk(part.delta.length);
        return undefined;
      case 'tool-input-start':
      case 'reasoning-delta':
        this.chunk(0);
        return undefined;
      case 'tool-call': {
        this.chunk(0);
        const key = `${part.toolName}:${JSON.stringify(part.input)}`;
        if (this.input.seenToolCalls.has(key)) return undefined;
        this.input.seenToolCalls.add(key);
        return { type: 'tool-call', id: part.toolCallId, name: part.toolName, args: part.input };
      }
      case 'start-step':
        this.watchdog.connected();
        return undefined;
      case 'finish-step':
        this.step = {
          reason: part.finishReason,
          raw: part.rawFinishReason,
          usage: part.usage,
          id: part.response.id,
          model: part.response.modelId,
        };
        return undefined;
      case 'error':
        this.failureCause = part.error;
        this.stop('error');
        return undefined;
      default:
        return undefined;
    }
  }

  /** The stream threw (a reset reaches us as a throw; so does our own abort). */
  thrown(error: unknown) {
    if (!this.stopReason || this.stopReason === 'error') this.failureCause ??= error;
  }

  /**
   * Nothing may keep the request open once the loop is left early (a stop, an error, the consumer
   * gone). A stream read to its end is left alone: aborting it would cost its keep-alive connection.
   */
  close(drained: boolean) {
    this.watchdog.stop();
    this.input.signal?.removeEventListener('abort', this.onCallerAbort);
    if (!drained && !this.controller.signal.aborted) this.controller.abort();
  }

  /** How the attempt ended, and on success any text the resume filter still held. */
  finish(): { result: AttemptResult; tail?: LlmEvent } {
    const step = this.step;
    const reported = step && usageOf(step.usage);
    const base = {
      ttftMs: this.ttftMs,
      durationMs: this.input.now() - this.started,
      delivered: this.delivered.join(''),
      usage: reported ?? {
        inputTokens: this.input.promptTokens,
        outputTokens: Math.ceil(this.streamedChars / 4),
        cachedInputTokens: 0,
      },
      usageEstimated: !reported,
      responseId: step?.id,
      responseModel: step?.model,
    };
    const why = this.stopReason;
    if (why === 'caller') return { result: { ...base, outcome: 'aborted', finishReason: null } };
    if (why === 'budget')
      return {
        result: { ...base, outcome: 'budget_exceeded', budgetError: this.budgetError, finishReason: null },
      };
    let failure: AttemptFailure | undefined;
    if (why && why !== 'error') {
      failure = {
        type: why,
        retryable: true,
        providerFault: true,
        message: `no data within the ${why.replace('_', ' ')}`,
      };
    } else if (this.failureCause !== undefined) {
      failure = classifyError(this.failureCause, Date.now());
    } else if (!step || (step.reason === 'other' && step.raw === undefined)) {
      // A stream that ends cleanly without its terminal event (stop reason / [DONE]) was cut short.
      failure = {
        type: 'truncated',
        retryable: true,
        providerFault: true,
        message: 'the stream ended without a finish reason',
      };
    }
    if (failure) return { result: { ...base, outcome: 'error', failure, finishReason: null } };
    const rest = this.input.filter?.end();
    if (rest) base.delivered += rest;
    const result: AttemptResult = { ...base, outcome: 'ok', finishReason: finishReasonOf(step!.reason) };
    return rest ? { result, tail: { type: 'text-delta', text: rest } } : { result };
  }

  private chunk(chars: number) {
    if (this.ttftMs === null) this.ttftMs = this.input.now() - this.started;
    this.watchdog.chunk();
    if (chars === 0) return;
    this.streamedChars += chars;
    this.budgetError ??= this.input.budget.addOutput(chars);
    if (this.budgetError) this.stop('budget');
  }

  private stop(why: StopReason) {
    if (this.stopReason) return;
    this.stopReason = why;
    this.controller.abort();
  }
}
