/**
 * How well Orchard's templates fit a request, by rules: the scaffold builds record-keeping apps
 * (crud-app) and landing pages; a game, a real-time or drawing app, a tool with logic of its own
 * is something only a coding agent can build. The build uses the scaffold when the fit is good
 * enough, else the llm-agent starting from the closest template — and refuses before doing
 * anything when that needs a model and none is configured.
 */
import type { TemplateId } from '../../blueprint/index.ts';
import { dictionaryNoun, LANDING_HINT } from './autopilot-blueprint.ts';

export interface TemplateFit {
  /** The closest template (what the scaffold renders, or what the agent starts from). */
  template: TemplateId;
  /** 0..1: how likely the template alone builds what was asked. */
  confidence: number;
  /** One sentence a person can read: why. */
  reason: string;
}

/** Below this the scaffold alone would build something else than what was asked. */
export const SCAFFOLD_FIT = 0.5;

const CUSTOM: [RegExp, string][] = [
  [
    /\b(games?|playable|arcade|snake|tetris|chess|sudoku|pong|breakout|minesweeper|platformer|shooter|crossword|tic[- ]?tac[- ]?toe|high[- ]?scores?)\b/i,
    'a game',
  ],
  [
    /\b(real[- ]?time|multiplayer|websockets?|live chat|chat room|video call|collaborative editing)\b/i,
    'real-time interaction',
  ],
  [/\b(canvas|drawing|paint(?:ing)? app|whiteboard|animations?|3d|webgl|physics)\b/i, 'custom graphics'],
  [
    /\b(calculator|converter|compiler|interpreter|simulat(?:or|ion)|synthesi[sz]er|metronome|stopwatch|pomodoro|countdown timer|code editor|markdown editor|spreadsheet)\b/i,
    'logic of its own',
  ],
];
const CRUD_VERBS =
  /\b(track|tracker|manage|management|list|log|catalog(?:ue)?|keep|organi[sz]e|record|inventory|directory|collect(?:ion)?|book(?:ing)?s?|crud|admin|database)\b/i;

export function templateFit(request: string, chosen?: TemplateId): TemplateFit {
  const text = request.replace(/\s+/g, ' ').trim();
  const custom = CUSTOM.filter(([re]) => re.test(text)).map(([, what]) => what);
  const landing = LANDING_HINT.test(text);
  const template: TemplateId = chosen ?? (landing ? 'landing-page' : 'crud-app');
  if (custom.length) {
    return {
      template,
      confidence: custom.length > 1 ? 0.15 : 0.25,
      reason: `This asks for ${custom.join(' and ')}, which the ${template} template does not build; it needs code written for it.`,
    };
  }
  if (template === 'landing-page')
    return {
      template,
      confidence: landing ? 0.9 : 0.6,
      reason: landing
        ? 'A landing page is what the landing-page template builds.'
        : 'The landing-page template was chosen.',
    };
  const nouns = [...new Set((text.match(/[A-Za-z]+/g) ?? []).map((w) => dictionaryNoun(w)).filter(Boolean))];
  if (nouns.length)
    return {
      template,
      confidence: CRUD_VERBS.test(text) ? 0.9 : 0.8,
      reason: `Keeping ${nouns.slice(0, 3).join(', ')} records is what the crud-app template builds.`,
    };
  if (CRUD_VERBS.test(text))
    return {
      template,
      confidence: 0.7,
      reason: 'Keeping and listing records is what the crud-app template builds.',
    };
  return {
    template,
    confidence: 0.5,
    reason:
      'Nothing in the request points away from a record-keeping app; the crud-app template is the closest.',
  };
}
