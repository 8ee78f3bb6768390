/**
 * Applies one parsed Architect command to a draft Blueprint (mutating it) and returns the reply
 * lines describing what changed. Commands that cannot apply throw CommandRejected.
 */
import type { z } from 'zod';
import { type Blueprint, Color, Font, Length } from '../../blueprint/index.ts';
import { CommandRejected } from './command-context.ts';
import {
  addEntity,
  addFields,
  addRelation,
  removeEntity,
  removeField,
  renameEntity,
  renameField,
} from './command-entities.ts';
import { type Command, GRAMMAR, type TokenGroup } from './command-grammar.ts';
import {
  addComponent,
  addEndpoint,
  addPage,
  movePage,
  removeComponent,
  removeEndpoint,
  removePage,
  renamePage,
} from './command-pages.ts';
import { fitToTemplate } from './fit-to-template.ts';

export function applyCommand(bp: Blueprint, command: Command): string[] {
  switch (command.kind) {
    case 'addEntity':
      return addEntity(bp, command.name, command.fields);
    case 'removeEntity':
      return removeEntity(bp, command.name);
    case 'renameEntity':
      return renameEntity(bp, command.from, command.to);
    case 'addFields':
      return addFields(bp, command.entity, command.fields);
    case 'removeField':
      return removeField(bp, command.entity, command.field);
    case 'renameField':
      return renameField(bp, command.entity, command.from, command.to);
    case 'addRelation':
      return addRelation(bp, command.entity, command.relation, command.target);
    case 'addPage':
      return addPage(bp, command);
    case 'removePage':
      return removePage(bp, command.name);
    case 'renamePage':
      return renamePage(bp, command.from, command.to);
    case 'movePage':
      return movePage(bp, command.name, command.path);
    case 'addEndpoint':
      return addEndpoint(bp, command);
    case 'removeEndpoint':
      return removeEndpoint(bp, command.method, command.path);
    case 'addComponent':
      return addComponent(bp, command.name, command.description);
    case 'removeComponent':
      return removeComponent(bp, command.name);
    case 'setFeature':
      bp.feature = limit(command.text, 80, 'A feature name');
      return [`The feature is now called “${bp.feature}”.`];
    case 'setSummary':
      bp.summary = limit(command.text, 2000, 'A summary');
      return ['Summary updated.'];
    case 'setTemplate':
      bp.template = command.template;
      return [
        `This Blueprint now targets the ${command.template} template.`,
        ...fitToTemplate(bp, 'architect'),
      ];
    case 'addAssumption':
      bp.assumptions.push({ text: limit(command.text, 1000, 'An assumption'), source: 'user' });
      return [`Noted the assumption: ${command.text}`];
    case 'answer':
      return answer(bp, command.id, command.answer);
    case 'setToken':
      return setToken(bp, command.group, command.token, command.value);
    case 'help':
      return [
        'I understand one command per line, for example:',
        ...GRAMMAR.filter((r) => r.example !== 'help').map((r) => `• ${r.example}`),
      ];
    case 'status':
      return [];
  }
}

function limit(text: string, max: number, what: string): string {
  if (text.length > max) throw new CommandRejected(`${what} can be at most ${max} characters.`);
  return text;
}

function answer(bp: Blueprint, id: string, text: string): string[] {
  const question = bp.openQuestions.find((q) => q.id.toLowerCase() === id.toLowerCase());
  if (!question) {
    const ids = bp.openQuestions.map((q) => q.id).join(', ') || 'none';
    throw new CommandRejected(`There is no open question ${id} (questions: ${ids}).`);
  }
  question.answer = limit(text, 2000, 'An answer');
  return [`Noted your answer to ${question.id} (${question.question}): ${text}`];
}

const TOKEN_VALUE: Record<TokenGroup, z.ZodType> = {
  colors: Color,
  fonts: Font,
  fontSizes: Length,
  radii: Length,
  spacing: Length,
};

/** A token group as the user says it. */
const TOKEN_LABEL: Record<TokenGroup, string> = {
  colors: 'color',
  fonts: 'font',
  fontSizes: 'text size',
  radii: 'radius',
  spacing: 'spacing',
};

function setToken(bp: Blueprint, group: TokenGroup, token: string, value: string): string[] {
  const checked = TOKEN_VALUE[group].safeParse(value);
  const label = TOKEN_LABEL[group];
  if (!checked.success) {
    throw new CommandRejected(`${value} is not a valid ${label}: ${checked.error.issues[0]?.message}.`);
  }
  bp.sections.designSystem.tokens[group][token] = String(checked.data);
  return [`Set ${label} ${token} to ${String(checked.data)}.`];
}
