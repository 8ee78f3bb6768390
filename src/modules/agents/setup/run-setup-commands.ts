/**
 * Runs a profile's setup commands one after another in the session's sandbox until one fails.
 * Their output is masked as it arrives (every form of every secret value becomes `***`, also when
 * split across chunks), so nothing unmasked reaches the operation log, the transcript, an event
 * or an error message.
 */
import { type SandboxResult, SandboxUnavailableError } from '../../../platform/sandbox/index.ts';
import { createMasker, StreamMasker } from '../../secrets/index.ts';
import type { AgentEvent } from '../agent-runtime.ts';
import { runInSetupSandbox, type SetupSandbox } from './setup-sandbox.ts';

/** How long one setup command may run. */
export const SETUP_COMMAND_TIMEOUT_MS = 15 * 60_000;
/** Output kept per command (head and tail; the middle of a huge install log is dropped). */
const KEEP = 256 * 1024;
/** Lines of one command copied to the operation log; the transcript has the rest. */
const LOG_LINES = 500;
/** How much of a failed command's output its stop reason quotes. */
const REASON_TAIL = 1_000;

export type SetupCommandEvent = Extract<AgentEvent, { type: 'command' }>;

export interface SetupCommandsInput {
  box: SetupSandbox;
  commands: string[];
  /** The whole environment of the commands (Orchard's, the profile's and the secrets). */
  env: Record<string, string>;
  /** Values to mask wherever they appear. */
  secretValues: string[];
  /** The run's private HOME and TMPDIR for setup. */
  writable: string[];
  timeoutMs?: number;
  signal: AbortSignal;
  /** A masked line of output, for the operation's log. */
  onLine(line: string): void;
  /** A finished command, output masked, for the transcript. */
  onCommand(event: SetupCommandEvent): Promise<void>;
}

/** Runs the commands; resolves with why setup failed (masked), or undefined when all succeeded. */
export async function runSetupCommands(input: SetupCommandsInput): Promise<string | undefined> {
  // A command is the profile's own text, but a secret could still look like part of it.
  const hide = createMasker(input.secretValues);
  for (const command of input.commands) {
    const shown = hide(command);
    const masker = new StreamMasker(input.secretValues);
    const decoder = new TextDecoder();
    const output = new KeptOutput();
    const lines = new LineLog(input.onLine);
    const take = (text: string) => {
      output.push(text);
      lines.push(text);
    };
    const started = Date.now();
    const timeoutMs = input.timeoutMs ?? SETUP_COMMAND_TIMEOUT_MS;
    input.onLine(`$ ${shown}`);
    let ran: SandboxResult;
    try {
      ran = await runInSetupSandbox(input.box, {
        command: ['sh', '-c', command],
        env: input.env,
        withEgress: true,
        writable: input.writable,
        timeoutMs,
        signal: input.signal,
        onOutput: (chunk) => take(masker.push(decoder.decode(chunk, { stream: true }))),
      });
    } catch (error) {
      // No sandbox on this machine: setup cannot run, as the agent's commands could not.
      if (error instanceof SandboxUnavailableError)
        return `setup command \`${shown}\` could not run: ${error.message}`;
      throw error;
    }
    take(masker.push(decoder.decode()) + masker.flush());
    lines.flush();
    input.signal.throwIfAborted();
    const text = output.text();
    await input.onCommand({
      type: 'command',
      command: shown,
      exitCode: ran.exitCode,
      durationMs: Date.now() - started,
      output: text,
    });
    if (ran.exitCode === 0 && !ran.timedOut) continue;
    const how = ran.timedOut
      ? `timed out after ${timeoutMs >= 60_000 ? `${Math.round(timeoutMs / 60_000)} minutes` : `${timeoutMs / 1000} s`}`
      : ran.exitCode === null
        ? `was killed (${ran.signal ?? 'signal'})`
        : `exited ${ran.exitCode}`;
    const tail = text.trim().slice(-REASON_TAIL);
    return `setup command \`${shown}\` ${how}${tail ? `: ${tail}` : ''}`;
  }
  return undefined;
}

/** The first and last KEEP characters of a command's output. */
class KeptOutput {
  private head = '';
  private tail = '';
  private dropped = 0;

  push(text: string) {
    if (this.head.length < KEEP) {
      const room = KEEP - this.head.length;
      this.head += text.slice(0, room);
      text = text.slice(room);
    }
    if (!text) return;
    this.tail += text;
    if (this.tail.length > KEEP) {
      this.dropped += this.tail.length - KEEP;
      this.tail = this.tail.slice(-KEEP);
    }
  }

  text() {
    return this.dropped
      ? `${this.head}\n… (${this.dropped} characters left out)\n${this.tail}`
      : this.head + this.tail;
  }
}

/** Whole lines to the operation log, at most LOG_LINES of them. */
class LineLog {
  private partial = '';
  private count = 0;

  constructor(private readonly onLine: (line: string) => void) {}

  push(text: string) {
    const parts = (this.partial + text).split('\n');
    this.partial = parts.pop() ?? '';
    for (const line of parts) this.emit(line);
    // Progress bars redraw one line without ending it: it is logged once it is long enough.
    if (this.partial.length > 2_000) this.flush();
  }

  flush() {
    if (this.partial) this.emit(this.partial);
    this.partial = '';
  }

  private emit(line: string) {
    this.count++;
    if (this.count <= LOG_LINES) this.onLine(line.slice(0, 2_000));
    else if (this.count === LOG_LINES + 1) this.onLine(`… (more output in the session's transcript)`);
  }
}
