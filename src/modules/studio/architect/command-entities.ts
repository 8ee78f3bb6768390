/** Applies the data-model commands (entities, fields, relations) to a draft Blueprint. */
import {
  type Blueprint,
  collectionName,
  crudEndpoint,
  describeEndpoints,
  describeField,
  exposeEntity,
  type Field,
  type FieldSpec,
  humanize,
  memberName,
  pluralizeName,
  toCamelCase,
  withArticle,
} from '../../blueprint/index.ts';
import { CommandRejected, findEntity, memberNames, requireEntity } from './command-context.ts';

const capitalize = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

const toField = (spec: FieldSpec): Field => ({ ...spec });

export function addEntity(bp: Blueprint, name: string, fields: FieldSpec[]): string[] {
  const existing = findEntity(bp, name);
  if (existing) {
    throw new CommandRejected(
      `${existing.name} already exists.`,
      `add field caption:longtext to ${existing.name}`,
    );
  }
  bp.sections.dataModel.entities.push({ name, fields: fields.map(toField), relations: [] });
  const described = fields.length ? ` (${fields.map(describeField).join('; ')})` : '';
  const lines = [`Added entity ${name}${described}.`];
  const { endpoints, pages } = exposeEntity(bp, name);
  if (endpoints.length) lines.push(`Also added the endpoints ${describeEndpoints(endpoints)}.`);
  if (pages.length)
    lines.push(`Also added the pages ${pages.map((p) => `${p.name} (${p.path})`).join(' and ')}.`);
  return lines;
}

export function removeEntity(bp: Blueprint, name: string): string[] {
  const entity = requireEntity(bp, name);
  const { sections } = bp;
  sections.dataModel.entities = sections.dataModel.entities.filter((e) => e !== entity);
  const endpoints = sections.apiEndpoints.filter((ep) => ep.entity === entity.name);
  const pages = sections.pages.filter((p) => p.entity === entity.name);
  sections.apiEndpoints = sections.apiEndpoints.filter((ep) => ep.entity !== entity.name);
  sections.pages = sections.pages.filter((p) => p.entity !== entity.name);
  for (const other of sections.dataModel.entities) {
    other.relations = other.relations.filter((r) => r.target !== entity.name);
  }
  const lines = [`Removed entity ${entity.name}.`];
  if (endpoints.length) lines.push(`Also removed its endpoints ${describeEndpoints(endpoints)}.`);
  if (pages.length) lines.push(`Also removed its pages ${pages.map((p) => p.name).join(', ')}.`);
  return lines;
}

export function renameEntity(bp: Blueprint, from: string, to: string): string[] {
  const entity = requireEntity(bp, from);
  const taken = findEntity(bp, to);
  if (taken && taken !== entity) throw new CommandRejected(`There is already an entity named ${taken.name}.`);
  const old = entity.name;
  const [oldBase, newBase] = [collectionName(old), collectionName(to)];
  entity.name = to;
  for (const other of bp.sections.dataModel.entities) {
    for (const rel of other.relations) if (rel.target === old) rel.target = to;
  }
  // Conventional paths and names follow the entity; custom ones are left alone.
  const swap = (path: string | undefined, prefix: string, next: string) =>
    path === prefix || path?.startsWith(`${prefix}/`) ? next + path.slice(prefix.length) : path;
  for (const ep of bp.sections.apiEndpoints) {
    if (ep.entity !== old) continue;
    ep.entity = to;
    ep.path = swap(ep.path, `/api/${oldBase}`, `/api/${newBase}`) ?? ep.path;
    const conventional = ep.action !== 'custom' ? crudEndpoint(old, ep.action).description : undefined;
    if (ep.description === conventional && ep.action !== 'custom')
      ep.description = crudEndpoint(to, ep.action).description;
  }
  for (const page of bp.sections.pages) {
    if (page.entity !== old) continue;
    page.entity = to;
    page.path = swap(page.path, `/${oldBase}`, `/${newBase}`);
    if (page.name === humanize(pluralizeName(old))) page.name = humanize(pluralizeName(to));
    if (page.name === `${humanize(old)} details`) page.name = `${humanize(to)} details`;
  }
  return [`Renamed entity ${old} to ${to}, with its endpoints and pages.`];
}

export function addFields(bp: Blueprint, name: string, fields: FieldSpec[]): string[] {
  const entity = requireEntity(bp, name);
  const members = memberNames(entity);
  for (const field of fields) {
    if (members.has(field.name)) {
      throw new CommandRejected(
        `${entity.name} already has a field ${field.name}.`,
        `rename field ${field.name} in ${entity.name} to ${field.name}2`,
      );
    }
    members.add(field.name);
  }
  entity.fields.push(...fields.map(toField));
  return [`Added ${fields.map(describeField).join('; ')} to ${entity.name}.`];
}

function requireField(bp: Blueprint, entityName: string, fieldName: string) {
  const entity = requireEntity(bp, entityName);
  // A field made from a reserved word was given a safe name (`class` → `classValue`): the word finds it.
  const field =
    entity.fields.find((f) => f.name === fieldName) ??
    entity.fields.find((f) => f.name === memberName(fieldName));
  if (!field) {
    const names = entity.fields.map((f) => f.name).join(', ') || 'none yet';
    throw new CommandRejected(
      `${entity.name} has no field ${fieldName} (fields: ${names}).`,
      `add field ${fieldName}:text to ${entity.name}`,
    );
  }
  return { entity, field };
}

export function removeField(bp: Blueprint, entityName: string, fieldName: string): string[] {
  const { entity, field } = requireField(bp, entityName, fieldName);
  entity.fields = entity.fields.filter((f) => f !== field);
  return [`Removed field ${field.name} from ${entity.name}.`];
}

export function renameField(bp: Blueprint, entityName: string, from: string, to: string): string[] {
  const { entity, field } = requireField(bp, entityName, from);
  if (memberNames(entity).has(to)) throw new CommandRejected(`${entity.name} already has a field ${to}.`);
  const old = field.name;
  field.name = to;
  return [`Renamed field ${old} in ${entity.name} to ${to}.`];
}

export function addRelation(
  bp: Blueprint,
  name: string,
  kind: 'belongsTo' | 'hasMany',
  targetName: string,
): string[] {
  const entity = requireEntity(bp, name);
  const target = requireEntity(bp, targetName);
  const lines: string[] = [];
  const link = (child: typeof entity, parent: typeof entity) => {
    if (child.relations.some((r) => r.kind === 'belongsTo' && r.target === parent.name)) return;
    const relName = toCamelCase(parent.name);
    if (memberNames(child).has(relName))
      throw new CommandRejected(`${child.name} already has a field ${relName}.`);
    child.relations.push({ name: relName, kind: 'belongsTo', target: parent.name });
    lines.push(`Each ${child.name} now belongs to ${withArticle(parent.name)} (stored as ${relName}Id).`);
  };
  if (kind === 'belongsTo') {
    link(entity, target);
    if (!lines.length) throw new CommandRejected(`${entity.name} already belongs to ${target.name}.`);
    return lines;
  }
  const relName = toCamelCase(pluralizeName(target.name));
  if (entity.relations.some((r) => r.kind === 'hasMany' && r.target === target.name)) {
    throw new CommandRejected(`${entity.name} already has many ${pluralizeName(target.name)}.`);
  }
  if (memberNames(entity).has(relName))
    throw new CommandRejected(`${entity.name} already has a field ${relName}.`);
  link(target, entity);
  entity.relations.push({ name: relName, kind: 'hasMany', target: target.name });
  lines.unshift(`${capitalize(withArticle(entity.name))} now has many ${pluralizeName(target.name)}.`);
  return lines;
}
