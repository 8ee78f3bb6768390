import type { MatchFacts } from './conversation.ts';
import type { ScenarioMatch } from './schemas.ts';

/** Whether a request meets every condition the entry's `match` names (see README.md, "Scenario"). */
export function matchesRequest(match: ScenarioMatch, facts: MatchFacts): boolean {
  if (match.contains !== undefined && !facts.promptText.includes(match.contains)) return false;
  if (match.lastUser !== undefined && !facts.lastUserText.includes(match.lastUser)) return false;
  if (match.turn !== undefined && facts.assistantTurns !== match.turn) return false;
  if (match.lastToolResult === undefined && match.tool === undefined) return true;
  // Both conditions must hold for the same result: "the read_file result contains X".
  const { tool, lastToolResult } = match;
  return facts.lastToolResults.some(
    (result) =>
      (tool === undefined || result.tool === tool) &&
      (lastToolResult === undefined || result.text.includes(lastToolResult)),
  );
}
