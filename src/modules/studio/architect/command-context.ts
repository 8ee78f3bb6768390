/** Shared lookups for applying Architect commands to a draft Blueprint. */
import type { Blueprint, Entity, Page } from '../../blueprint/index.ts';

/** A command that parsed but cannot apply (unknown entity, name taken): the reply says why and what to try. */
export class CommandRejected extends Error {
  constructor(
    message: string,
    readonly example?: string,
  ) {
    super(message);
  }
}

const list = (names: string[]) => (names.length ? names.join(', ') : 'none yet');

export function findEntity(bp: Blueprint, name: string): Entity | undefined {
  return bp.sections.dataModel.entities.find((e) => e.name.toLowerCase() === name.toLowerCase());
}

export function requireEntity(bp: Blueprint, name: string): Entity {
  const found = findEntity(bp, name);
  if (found) return found;
  const names = bp.sections.dataModel.entities.map((e) => e.name);
  throw new CommandRejected(
    `There is no entity named ${name} (entities: ${list(names)}).`,
    `add entity ${name} with name:text!`,
  );
}

export function findPage(bp: Blueprint, name: string): Page | undefined {
  return bp.sections.pages.find((p) => p.name.toLowerCase() === name.toLowerCase());
}

export function requirePage(bp: Blueprint, name: string): Page {
  const found = findPage(bp, name);
  if (found) return found;
  throw new CommandRejected(
    `There is no page named ${name} (pages: ${list(bp.sections.pages.map((p) => p.name))}).`,
    `add page ${name} at /${name.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`,
  );
}

export function memberNames(entity: Entity): Set<string> {
  return new Set([...entity.fields.map((f) => f.name), ...entity.relations.map((r) => r.name)]);
}
