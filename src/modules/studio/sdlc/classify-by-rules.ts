/**
 * The SDLC classifier without a model: weighted cues in the request's words. A bug report speaks of
 * what goes wrong (an error, a crash, "doesn't work", expected and actual); a chore of what users
 * never see (dependencies, refactoring, CI, docs, tests); a change of what the app does differently
 * (rename, make it…, instead of); a new feature of what it cannot do yet (add, allow users to, I
 * want). The kind with the most weight wins; its confidence grows with its lead. No cue at all reads
 * as a new feature, with low confidence.
 */
import { type Classification, KIND_LABELS, SDLC_PATHS, type SdlcKind } from './sdlc-kinds.ts';

type Cue = [kind: SdlcKind, weight: number, pattern: RegExp];

const CUES: Cue[] = [
  // Bug reports: something that should work does not.
  [
    'bugfix',
    2,
    /\b(?:bugs?(?![- ]?(?:track|report(?:s|ing)? (?:app|tool|system|page|form)))|broken|crash(?:es|ed|ing)?|exceptions?|stack ?trace|traceback|regression|errors?|fail(?:s|ed|ing|ure)?|wrong|incorrect(?:ly)?|defect|glitch(?:es)?|typo|misspel+(?:ed|ing)?|hangs?|freez(?:es|ing)|stuck|blank (?:page|screen)|(?:is|are|stays|goes) (?:blank|empty)|white screen|undefined|NaN|(?:Type|Reference|Syntax)Error|(?:HTTP )?(?:500|502|503|404)|times? ?out)\b/gi,
  ],
  ['bugfix', 2, /\bfix(?:es|ed|ing)?\b/gi],
  [
    'bugfix',
    2,
    /\b(?:(?:does ?n[o']?t|do ?n[o']?t|did ?n[o']?t|is ?n[o']?t|are ?n[o']?t|wo ?n't|can ?n?[o']?t|cannot|unable to|not) (?:work|working|load(?:ing|ed)?|sav(?:e|ing|ed)|stored|show(?:ing|n)?|open|display(?:ed|ing)?|appear|respond|updat(?:e|ed|ing)|sent|found|visible|clickable|submit|log ?in|sign ?in)|stopped working|no longer|any ?more|disappears?|is missing|are missing|goes missing)\b/gi,
  ],
  [
    'bugfix',
    3,
    /\b(?:steps to reproduce|expected(?: result| behaviou?r)?:|actual(?: result| behaviou?r)?:|but (?:instead|it|nothing|I get|we get|got))/gi,
  ],
  // Chores: nothing a user sees changes.
  [
    'chore',
    2.5,
    /\b(?:refactor(?:s|ed|ing)?|clean ?up|tidy|lint(?:ing|er|s)?|prettier|biome|eslint|dependenc(?:y|ies)|deps|bump(?:s|ed)?|renovate|dependabot|CI|continuous integration|github actions|(?:build|ci) (?:config|pipeline|workflow)|pipeline\.ya?ml|readme|docs|documentation|changelog|licen[cs]e|gitignore|dead code|unused|tech(?:nical)? debt|type (?:annotations|definitions|errors in the build)|code style|formatting)\b/gi,
  ],
  [
    'chore',
    4,
    /\b(?:fix|typos?|spelling|wording|broken links?)\b[^.]{0,40}\b(?:readme|docs|documentation|comments?|changelog)\b/gi,
  ],
  [
    'chore',
    3,
    /\b(?:add|write|more|missing|increase|improve) (?:\w+ ){0,2}(?:tests?|test coverage|coverage)\b/gi,
  ],
  ['chore', 2.5, /\b(?:upgrade|update|bump|migrate) (?:\w+[ -]){0,3}(?:to )?v?\d+(?:\.\d+)*\b/gi],
  ['chore', 2, /\bupgrade(?:s|d)?\b/gi],
  // Changes: the app already does it, it should do it differently.
  [
    'change',
    1.5,
    /\b(?:chang(?:e|es|ed|ing)|renam(?:e|es|ed|ing)|move|replace|instead of|rather than|reorder|restyle|redesign|tweak|adjust|increase|decrease|shorten|longer|shorter|larger|smaller|bigger|colou?rs?|fonts?|wording|should (?:be|say|read|show|display|use)|modify|improve|simplify|hide|remove|default to|sorted by|sort by)\b/gi,
  ],
  ['change', 1.5, /\bmake (?:the|it|them|this|that|all|every|each)\b(?! possible)/gi],
  // New features: something the app cannot do yet.
  [
    'feature',
    2,
    /\b(?:add(?:s|ing)?|support(?:s|ing)? for|introduce|implement|ability to|a way to|possible to|integrat(?:e|ion) with|feature request|let(?:s)? (?:users|visitors|people|me|admins|members|customers)|allow(?:s)? (?:users|visitors|people|me|admins|members|customers)|enable (?:users|visitors|people|me|admins|members|customers))\b/gi,
  ],
  [
    'feature',
    3,
    /\b(?:as an? [\w -]{2,30}?,? I (?:want|would like|need)|I (?:want|would like|'d like|need) (?:to be able|a|an|the ability|users|to))\b/gi,
  ],
  // "New" describes as often as it asks ("new recipes are not saved").
  ['feature', 1, /\bnew\b/gi],
  // A product about bugs or issues is a feature like any other.
  ['feature', 4, /\b(?:bug|issue|defect|error) ?(?:track(?:er|ing)|reporting (?:app|tool))\b/gi],
  // A thing described ("a dashboard with weekly totals") is a thing to build.
  ['feature', 1.5, /^an? \w+(?: \w+)? (?:with|where|that|for|which|showing|listing|of)\b/gi],
  [
    'feature',
    2,
    /\b(?:build|create|make) (?:a|an) (?:app|page|site|tool|dashboard|form|api|service|tracker|list|gallery|shop|store|blog)\b/gi,
  ],
];

/** When weights tie, the first of these wins: a broken thing is fixed before anything else. */
const PRIORITY: SdlcKind[] = ['bugfix', 'chore', 'feature', 'change'];

export function classifyByRules(request: string, now: Date): Classification {
  const text = request.replace(/\s+/g, ' ').trim();
  const score: Record<SdlcKind, number> = { feature: 0, change: 0, bugfix: 0, chore: 0 };
  const cues: Record<SdlcKind, string[]> = { feature: [], change: [], bugfix: [], chore: [] };
  for (const [kind, weight, pattern] of CUES) {
    for (const match of text.matchAll(pattern)) {
      score[kind] += weight;
      const cue = match[0].toLowerCase();
      if (!cues[kind].includes(cue)) cues[kind].push(cue);
    }
  }
  const ranked = [...PRIORITY].sort((a, b) => score[b] - score[a]);
  const [top, second] = [ranked[0]!, ranked[1]!];
  const at = now.toISOString();
  if (score[top] === 0)
    return {
      kind: 'feature',
      confidence: 0.4,
      phases: [...SDLC_PATHS.feature],
      source: 'rules',
      reason: 'No sign of a bug, a change or a chore in the words: read as a new feature.',
      at,
    };
  const lead = score[top] - score[second];
  const confidence = Math.min(
    0.95,
    Math.round((score[top] / (score[top] + score[second] + 1) + lead * 0.03) * 100) / 100,
  );
  const quoted = cues[top].slice(0, 3).map((c) => `“${c}”`);
  return {
    kind: top,
    confidence,
    phases: [...SDLC_PATHS[top]],
    source: 'rules',
    reason: `Reads as a ${KIND_LABELS[top]}: ${quoted.join(', ')}.`,
    at,
  };
}
