import type { ServerResponse } from 'node:http';
import { setTimeout as pause } from 'node:timers/promises';
import type { Fault } from './faults.ts';

/**
 * `content` frames carry the scripted text or tool arguments and are what a fault's `after` counts;
 * `terminal` frames finish the stream (stop reason, usage, `[DONE]`) and are what `eof` leaves out.
 */
export type FrameKind = 'structure' | 'content' | 'terminal';

export interface Frame {
  kind: FrameKind;
  /** Bytes exactly as written, framing included. */
  data: string;
}

/** A whole streaming answer in one protocol's framing, plus that protocol's broken pieces. */
export interface StreamPlan {
  headers: Record<string, string>;
  frames: Frame[];
  /** An event whose JSON does not parse. */
  malformed: string;
  /** The protocol's mid-stream error; the stream ends right after it. */
  errorEvent: string;
  /** js-genai only recognises a mid-stream error when it arrives as its own network read. */
  errorEventAlone?: boolean;
}

export const SSE_HEADERS = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-cache',
};

/** `event:` line plus `data:` line, as Anthropic sends (its SDK dispatches on the event name). */
export function namedEvent(name: string, data: unknown): string {
  return `event: ${name}\ndata: ${JSON.stringify(data)}\n\n`;
}

export function dataEvent(data: unknown): string {
  return `data: ${JSON.stringify(data)}\n\n`;
}

// A short pause before breaking the connection, so the break does not race the data before it: the RST
// must not overtake chunks the client has yet to read, and js-genai only recognises a bare JSON error
// when it arrives in a network read of its own (without the pause it is often glued to the last event).
const SETTLE_MS = 30;

type StreamFault = Extract<Fault, { after: number }>;

/** Writes the plan, injecting `fault` after `fault.after` content chunks; resolves when done. */
export async function playStream(
  res: ServerResponse,
  plan: StreamPlan,
  options: { fault: StreamFault | null; delayMs: number },
): Promise<void> {
  const gone = new AbortController();
  res.once('close', () => gone.abort());
  let fault = options.fault;
  res.writeHead(200, plan.headers);
  res.flushHeaders();

  // Returns true when the stream is over.
  const fire = async (active: StreamFault): Promise<boolean> => {
    switch (active.kind) {
      case 'malformed':
        fault = null;
        await write(res, plan.malformed);
        return false;
      case 'eof':
        res.end();
        return true;
      case 'reset':
        await settle(gone.signal);
        res.socket?.resetAndDestroy();
        return true;
      case 'stall':
        // Hold the connection until the client gives up or the server closes.
        if (!gone.signal.aborted) await new Promise((resolve) => res.once('close', resolve));
        return true;
      case 'error-event':
        if (plan.errorEventAlone) await settle(gone.signal);
        await write(res, plan.errorEvent);
        res.end();
        return true;
    }
  };

  if (fault?.after === 0 && (await fire(fault))) return;
  let sent = 0;
  for (const frame of plan.frames) {
    if (gone.signal.aborted) return;
    if (fault && frame.kind === 'terminal' && (await fire(fault))) return;
    if (frame.kind === 'content' && options.delayMs > 0) {
      const waited = await pause(options.delayMs, true, { signal: gone.signal }).catch(() => false);
      if (!waited) return;
    }
    await write(res, frame.data);
    if (frame.kind !== 'content') continue;
    sent += 1;
    if (fault && sent === fault.after && (await fire(fault))) return;
  }
  res.end();
}

function write(res: ServerResponse, data: string): Promise<void> {
  if (res.destroyed || res.writableEnded) return Promise.resolve();
  return new Promise((resolve) => res.write(data, () => resolve()));
}

async function settle(signal: AbortSignal): Promise<void> {
  await pause(SETTLE_MS, undefined, { signal }).catch(() => undefined);
}
