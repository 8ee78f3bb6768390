import type { Command } from 'commander';
import { z } from 'zod';
import { startMockLlm } from '../modules/llm/mock/index.ts';
import { CliError } from './run.ts';

const MockLlmFlags = z.object({
  port: z.coerce.number().int().min(0).max(65535),
  host: z.string().min(1),
  scenario: z.string().min(1).optional(),
});

/** `orchard mock-llm`: the protocol-exact mock LLM server, for tests that run Orchard as a process. */
export function registerMockLlm(program: Command): void {
  program
    .command('mock-llm')
    .description(
      'Serve the Anthropic, Gemini and OpenAI-compatible APIs from a scripted scenario (for tests)',
    )
    .option('--port <n>', 'port to listen on (0 picks a free one)', '0')
    .option('--host <host>', 'address to bind', '127.0.0.1')
    .option('--scenario <file.yaml>', 'YAML list of scripted answers (default: every answer is "mock reply")')
    .action(async (raw: unknown) => {
      const parsed = MockLlmFlags.safeParse(raw);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        throw new CliError(`mock-llm: --${issue?.path.join('.') ?? 'flags'}: ${issue?.message ?? 'invalid'}`);
      }
      const flags = parsed.data;
      const mock = await startMockLlm(flags).catch((error: NodeJS.ErrnoException) => {
        if (error.code === 'EADDRINUSE') {
          throw new CliError(
            `mock-llm: port ${flags.port} is in use; pick another with --port, or 0 for any free port`,
          );
        }
        throw error;
      });
      // Tests read this exact line to learn the URL, so it stays one line on stdout.
      process.stdout.write(`mock-llm listening on ${mock.url}\n`);
      await new Promise<void>((resolve) => {
        const stop = () => {
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
          resolve();
        };
        process.on('SIGINT', stop);
        process.on('SIGTERM', stop);
      });
      await mock.close();
    });
}
