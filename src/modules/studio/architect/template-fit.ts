/**
 * Which of Orchard's templates fits a request, how well, and why, by rules: each template has the
 * words that ask for it (a landing page's "coming soon", an API's "REST" or "OpenAPI", a
 * dashboard's "charts", a static site's "blog" or "docs"), and a record-keeping app (crud-app) is
 * what is left. A game, a real-time or drawing app, a tool with logic of its own is something only a
 * coding agent can build. The build uses the scaffold when the fit is good enough, else the
 * llm-agent starting from the closest template — and refuses before doing anything when that
 * needs a model and none is configured.
 */
import type { TemplateId } from '../../blueprint/index.ts';
import { dictionaryNoun } from './app-nouns.ts';

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

export const LANDING_HINT =
  /\b(landing|marketing|waitlist|wait list|coming soon|launch page|newsletter|sign ?up page)\b/i;

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
  /\b(track|tracker|manage|management|list|log|catalog(?:ue)?|keep|organi[sz]e|record|inventory|directory|collect(?:ion)?|book(?:ing)?s?|crud|admin|database)\b/gi;

/** Words that ask for a template: strong ones decide, weak ones only lean. */
interface Hints {
  strong: RegExp;
  weak?: RegExp;
  /** What the template builds, for the reason. */
  builds: string;
}

const HINTS: Record<Exclude<TemplateId, 'crud-app'>, Hints> = {
  'landing-page': { strong: new RegExp(LANDING_HINT.source, 'gi'), builds: 'a landing page' },
  'api-service': {
    strong:
      /\b(rest(?:ful)?(?: api)?|json api|http api|web api|openapi|swagger|api[- ]only|headless|micro-?services?|back[- ]?end(?: service)?|no (?:ui|gui|front[- ]?end|pages)|without (?:an? )?(?:ui|gui|front[- ]?end|pages))\b/gi,
    weak: /\b(apis?|endpoints?|web ?service)\b/gi,
    builds: 'a JSON API with an OpenAPI document',
  },
  dashboard: {
    strong:
      /\b(dashboards?|charts?|graphs?|analytics|metrics|kpis?|statistics|visuali[sz](?:e|ations?)|reporting|insights)\b/gi,
    weak: /\b(stats|reports?|trends?|totals?|per month|by month)\b/gi,
    builds: 'charts over its own records',
  },
  'static-site': {
    strong:
      /\b(blogs?|docs|documentation(?: site)?|static (?:web ?)?site|multi[- ]?page (?:web ?)?site|markdown|wiki|knowledge base|handbook|portfolio|personal (?:web ?)?site|company (?:web ?)?site|brochure(?: site)?|user guide)\b/gi,
    weak: /\b(website|articles?|essays?)\b/gi,
    builds: 'a multi-page site written in Markdown',
  },
};

/** Things people add or do in the app: a static site cannot keep them. */
const INTERACTIVE =
  /\b(comments?|commenting|likes?|liking|votes?|voting|upvotes?|ratings?|rate|reviews?|submit|submissions?|uploads?|rsvps?|bookings?|reservations?|sign ?ups?|accounts?|log ?in|sign ?in|orders?|checkout|track|tracker|tracking|manage|crud|admin)\b/gi;

/** "an API for my bookshop", "Build a bookshop API": an API is the thing asked for. */
const API_FIRST =
  /^(?:(?:please|build|make|create|write|generate|design|me|i want|i need|we need|a|an|the|my|our|simple|small|tiny|little|public|private|internal)\s+)*(?:[\w-]+\s+){0,2}apis?\b/i;

const unique = (matches: RegExpMatchArray | null) => [
  ...new Set((matches ?? []).map((m) => m.toLowerCase().replace(/\s+/g, ' '))),
];
const quoted = (words: string[]) =>
  words
    .slice(0, 3)
    .map((w) => `“${w}”`)
    .join(', ');

interface Scored {
  template: TemplateId;
  strong: string[];
  weak: string[];
  score: number;
}

function score(text: string): Scored[] {
  return (Object.entries(HINTS) as [Exclude<TemplateId, 'crud-app'>, Hints][]).map(([template, hints]) => {
    const strong = unique(text.match(hints.strong));
    if (template === 'api-service' && API_FIRST.test(text) && !strong.some((w) => w.includes('api')))
      strong.push('api');
    const weak = hints.weak ? unique(text.match(hints.weak)) : [];
    return { template, strong, weak, score: strong.length * 3 + weak.length };
  });
}

/** The fit of a record-keeping app (crud-app), from the things the request names. */
function crudFit(text: string): TemplateFit {
  const template = 'crud-app';
  const nouns = [...new Set((text.match(/[A-Za-z]+/g) ?? []).map((w) => dictionaryNoun(w)).filter(Boolean))];
  const verbs = CRUD_VERBS.test(text);
  CRUD_VERBS.lastIndex = 0;
  if (nouns.length)
    return {
      template,
      confidence: verbs ? 0.9 : 0.8,
      reason: `Keeping ${nouns.slice(0, 3).join(', ')} records is what the crud-app template builds.`,
    };
  if (verbs)
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

/** The fit of one of the other templates, from the words that asked for it. */
function hintedFit(s: Scored): TemplateFit {
  const { builds } = HINTS[s.template as Exclude<TemplateId, 'crud-app'>];
  const words = s.strong.length ? s.strong : s.weak;
  if (!words.length)
    return { template: s.template, confidence: 0.6, reason: `The ${s.template} template was chosen.` };
  return {
    template: s.template,
    confidence: s.strong.length ? 0.9 : 0.7,
    reason: `${quoted(words)}: ${builds} is what the ${s.template} template builds.`,
  };
}

/**
 * The template for a request (or how well `chosen` fits it), with a confidence and a reason.
 * The strongest hint wins; a request for a static site that also asks people to add things
 * (comments, likes, signups) is a record-keeping app instead, and with no hint at all it is one.
 */
export function templateFit(request: string, chosen?: TemplateId): TemplateFit {
  const text = request.replace(/\s+/g, ' ').trim();
  const scored = score(text);
  const custom = CUSTOM.filter(([re]) => re.test(text)).map(([, what]) => what);
  const interactive = unique(text.match(INTERACTIVE));
  const best = scored.reduce<Scored | undefined>(
    (top, s) => (s.score > (top?.score ?? 0) ? s : top),
    undefined,
  );
  let fit: TemplateFit;
  if (chosen) {
    fit = chosen === 'crud-app' ? crudFit(text) : hintedFit(scored.find((s) => s.template === chosen)!);
  } else if (!best || (!best.strong.length && (custom.length || crudFit(text).confidence > 0.5))) {
    // A weak hint ("with an API", "totals") does not outweigh the records the request names.
    fit = crudFit(text);
  } else if (best.template === 'static-site' && interactive.length) {
    const crud = crudFit(text);
    fit = {
      template: 'crud-app',
      confidence: Math.max(crud.confidence, 0.7),
      reason: `A site where people add ${quoted(interactive)} keeps records, which a static site cannot; the crud-app template builds that.`,
    };
  } else {
    fit = hintedFit(best);
  }
  if (custom.length)
    return {
      template: fit.template,
      confidence: custom.length > 1 ? 0.15 : 0.25,
      reason: `This asks for ${custom.join(' and ')}, which the ${fit.template} template does not build; it needs code written for it.`,
    };
  return fit;
}
