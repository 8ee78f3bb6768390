/**
 * Readiness rules: what a Blueprint needs before a build makes sense. Each unmet rule says what is
 * missing (`message`) and what the rule-based Architect asks to fill it (`question`, with an
 * example command of its grammar). The user may override and build anyway.
 */
import { slugify } from '../../platform/slugify.ts';
import type { Blueprint, TemplateId } from './blueprint-schema.ts';
import { collectionName } from './naming.ts';

export interface UnmetRule {
  rule: string;
  message: string;
  /** What the rule-based Architect asks; it ends with the example command. */
  question: string;
  /** A command of the Architect's grammar that would satisfy the rule. */
  example: string;
}

export interface Readiness {
  ready: boolean;
  unmet: UnmetRule[];
}

interface ReadinessRule {
  id: string;
  /** Templates the rule applies to; all when omitted. */
  templates?: TemplateId[];
  check(bp: Blueprint): { message: string; ask: string; example: string } | null;
}

/** The template a Blueprint targets; a Blueprint without one is a CRUD app. */
export function templateOf(bp: Blueprint): TemplateId {
  return bp.template ?? 'crud-app';
}

export const READINESS_RULES: readonly ReadinessRule[] = [
  {
    id: 'feature-named',
    check: (bp) =>
      bp.feature.trim()
        ? null
        : {
            message: 'The feature has no name.',
            ask: 'What should we call this?',
            example: 'set feature Photo gallery',
          },
  },
  {
    id: 'summary-written',
    check: (bp) =>
      bp.summary.trim()
        ? null
        : {
            message: 'There is no summary.',
            ask: 'In one sentence, what does it do and for whom?',
            example: 'set summary A gallery where visitors like photos',
          },
  },
  {
    id: 'has-entity',
    templates: ['crud-app', 'api-service', 'dashboard'],
    check: (bp) =>
      bp.sections.dataModel.entities.some((e) => e.fields.length > 0)
        ? null
        : {
            message: 'The data model has no entity with fields.',
            ask: 'What does the app keep track of? Name a thing and its fields',
            example: 'add entity Photo with title:text!, url:url, likes:integer',
          },
  },
  {
    id: 'has-landing-page',
    templates: ['landing-page'],
    check: (bp) =>
      bp.sections.pages.some((p) => p.kind === 'landing')
        ? null
        : {
            message: 'There is no landing page.',
            ask: 'Where should visitors land?',
            example: 'add page Home at / as landing',
          },
  },
  {
    id: 'has-page',
    templates: ['static-site'],
    check: (bp) =>
      bp.sections.pages.length
        ? null
        : {
            message: 'The site has no pages.',
            ask: 'Which pages should the site have?',
            example: 'add page About at /about',
          },
  },
  {
    id: 'entities-have-fields',
    check: (bp) => {
      const empty = bp.sections.dataModel.entities.find((e) => e.fields.length === 0);
      if (!empty) return null;
      return {
        message: `${empty.name} has no fields.`,
        ask: `What should each ${empty.name} hold?`,
        example: `add field name:text! to ${empty.name}`,
      };
    },
  },
  {
    id: 'entities-exposed',
    check: (bp) => {
      const { apiEndpoints, pages } = bp.sections;
      const hidden = bp.sections.dataModel.entities.find(
        (e) => !pages.some((p) => p.entity === e.name) && !apiEndpoints.some((ep) => ep.entity === e.name),
      );
      if (!hidden) return null;
      const plural = collectionName(hidden.name);
      return {
        message: `${hidden.name} has no page and no endpoint.`,
        ask: `How will people see ${hidden.name} records?`,
        example: `add page ${hidden.name} list at /${plural} showing ${hidden.name} as list`,
      };
    },
  },
  {
    id: 'pages-have-paths',
    check: (bp) => {
      const page = bp.sections.pages.find((p) => !p.path);
      if (!page) return null;
      return {
        message: `Page ${page.name} has no path.`,
        ask: `At which path should ${page.name} live?`,
        example: `move page ${page.name} to /${slugify(page.name, 'app')}`,
      };
    },
  },
  {
    id: 'design-colors',
    check: (bp) => {
      const colors = bp.sections.designSystem.tokens.colors;
      const missing = ['primary', 'background'].filter((c) => !colors[c]);
      if (!missing.length) return null;
      return {
        message: `The design system has no ${missing.join(' or ')} color.`,
        ask: `Which ${missing.join(' and ')} color should it use?`,
        example: `set color ${missing[0]} ${missing[0] === 'primary' ? '#2563eb' : '#ffffff'}`,
      };
    },
  },
  {
    id: 'questions-answered',
    check: (bp) => {
      const open = bp.openQuestions.filter((q) => !q.answer?.trim());
      const first = open[0];
      if (!first) return null;
      return {
        message: `${open.length} open question${open.length === 1 ? ' is' : 's are'} unanswered.`,
        ask: first.question,
        example: `answer ${first.id}: …`,
      };
    },
  },
];

/** Lists every unmet rule for the Blueprint's template, in the order the Architect asks them. */
export function isReadyToBuild(bp: Blueprint): Readiness {
  const template = templateOf(bp);
  const unmet: UnmetRule[] = [];
  for (const rule of READINESS_RULES) {
    if (rule.templates && !rule.templates.includes(template)) continue;
    const failure = rule.check(bp);
    if (!failure) continue;
    const { message, ask, example } = failure;
    unmet.push({ rule: rule.id, message, question: `${ask} (for example: ${example})`, example });
  }
  return { ready: unmet.length === 0, unmet };
}
