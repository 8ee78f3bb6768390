/**
 * The rule-based Architect: used when no LLM provider is configured (or when chosen). It reads the
 * command grammar (one command per line), applies the message all-or-nothing, answers with what
 * changed as a JSON Patch, and then asks the next unmet readiness rule's question. In autopilot it
 * fills the gaps with recorded assumptions instead of asking.
 */
import { ValidationError } from '../../../platform/errors.ts';
import {
  applyBlueprintPatch,
  type Blueprint,
  diffBlueprints,
  fillGapsWithAssumptions,
  isReadyToBuild,
  type JsonPatch,
} from '../../blueprint/index.ts';
import { applyCommand } from './apply-command.ts';
import { CommandRejected } from './command-context.ts';
import { type Command, commandLines, parseCommand } from './command-grammar.ts';

export interface ArchitectTurn {
  reply: string;
  patch: JsonPatch;
  blueprint: Blueprint;
}

export interface RuleArchitectOptions {
  /** Fill unmet readiness rules with assumptions instead of asking about them. */
  autopilot?: boolean;
}

/** What to say after a turn: the next question, or that the Blueprint is ready. */
export function nextStep(bp: Blueprint): string {
  const next = isReadyToBuild(bp).unmet[0];
  return next
    ? next.question
    : 'The Blueprint is ready to build: press “Build it” when you are, or keep refining it.';
}

function suggestion(bp: Blueprint, example?: string): string {
  return example ?? isReadyToBuild(bp).unmet[0]?.example ?? 'add page About at /about';
}

function unchanged(bp: Blueprint, reply: string): ArchitectTurn {
  return { reply, patch: [], blueprint: bp };
}

export function ruleArchitectTurn(
  blueprint: Blueprint,
  message: string,
  options: RuleArchitectOptions = {},
): ArchitectTurn {
  const lines = commandLines(message);
  const commands: Command[] = [];
  for (const line of lines) {
    const parsed = parseCommand(line);
    if (!parsed.ok) {
      const detail = parsed.error.startsWith('I ') ? '' : ` (${parsed.error})`;
      return unchanged(
        blueprint,
        `I didn't understand “${line}”${detail}; try: ${suggestion(blueprint, parsed.example)}\nNothing was changed. Say “help” to see every command.`,
      );
    }
    commands.push(parsed.command);
  }

  const draft = structuredClone(blueprint);
  const said: string[] = [];
  try {
    for (const command of commands) said.push(...applyCommand(draft, command));
  } catch (err) {
    if (!(err instanceof CommandRejected)) throw err;
    const tip = err.example ? ` Try: ${err.example}` : '';
    return unchanged(blueprint, `${err.message}${tip}\nNothing was changed.`);
  }
  if (options.autopilot) {
    const assumed = fillGapsWithAssumptions(draft);
    if (assumed.length) said.push('Autopilot assumed:', ...assumed.map((a) => `• ${a}`));
  }

  const patch = diffBlueprints(blueprint, draft);
  let next: Blueprint;
  try {
    next = applyBlueprintPatch(blueprint, patch);
  } catch (err) {
    if (!(err instanceof ValidationError)) throw err;
    return unchanged(
      blueprint,
      `That would make the Blueprint invalid: ${err.message}\nNothing was changed.`,
    );
  }
  if (!lines.length) said.push('Tell me what to build, one command per line (say “help” for examples).');
  return { reply: [...said, nextStep(next)].join('\n'), patch, blueprint: next };
}
