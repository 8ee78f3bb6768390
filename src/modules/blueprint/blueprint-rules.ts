/**
 * Cross-field rules of the Blueprint: every name that is referenced must exist and every name that
 * identifies something must be unique. Each issue carries the path of the offending value and a
 * message that says what would fix it (the LLM Architect's repair loop reads these too).
 */
import type { z } from 'zod';
import type { BlueprintShape } from './blueprint-shape.ts';
import { collectionName } from './naming.ts';

type Path = (string | number)[];
type Report = (path: Path, message: string) => void;

/** Every record the generated apps store gets these; a field may not shadow them. */
export const RESERVED_FIELD_NAMES = new Set(['id', 'createdAt', 'updatedAt']);

export function checkBlueprint(bp: BlueprintShape, ctx: z.RefinementCtx): void {
  const report: Report = (path, message) => ctx.addIssue({ code: 'custom', path, message });
  const entities = bp.sections.dataModel.entities;
  const known = new Map(entities.map((e) => [e.name, e]));
  const knownList = entities.map((e) => e.name).join(', ') || 'none yet';
  const mustExist = (path: Path, name: string | undefined) => {
    if (name !== undefined && !known.has(name))
      report(path, `no entity named ${name} (entities: ${knownList})`);
  };

  checkEntities(bp, report);
  entities.forEach((entity, i) => {
    entity.relations.forEach((rel, r) => {
      const path = ['sections', 'dataModel', 'entities', i, 'relations', r, 'target'];
      const target = known.get(rel.target);
      if (!target) {
        mustExist(path, rel.target);
        return;
      }
      if (
        rel.kind === 'hasMany' &&
        !target.relations.some((b) => b.kind === 'belongsTo' && b.target === entity.name)
      ) {
        report(
          path,
          `${entity.name} hasMany ${rel.target} needs ${rel.target} to have a belongsTo ${entity.name} relation`,
        );
      }
    });
  });

  const endpoints = new Set<string>();
  bp.sections.apiEndpoints.forEach((ep, i) => {
    mustExist(['sections', 'apiEndpoints', i, 'entity'], ep.entity);
    const key = `${ep.method} ${ep.path}`;
    if (endpoints.has(key)) report(['sections', 'apiEndpoints', i, 'path'], `${key} is listed twice`);
    endpoints.add(key);
    if (ep.action !== 'custom' && !ep.entity) {
      report(
        ['sections', 'apiEndpoints', i, 'entity'],
        `a ${ep.action} endpoint needs the entity it works on`,
      );
    }
  });

  const pageNames = new Set<string>();
  const pagePaths = new Set<string>();
  bp.sections.pages.forEach((page, i) => {
    mustExist(['sections', 'pages', i, 'entity'], page.entity);
    const name = page.name.toLowerCase();
    if (pageNames.has(name))
      report(['sections', 'pages', i, 'name'], `another page is already named ${page.name}`);
    pageNames.add(name);
    if (page.path !== undefined) {
      if (pagePaths.has(page.path))
        report(['sections', 'pages', i, 'path'], `another page already uses ${page.path}`);
      pagePaths.add(page.path);
    }
    if ((page.kind === 'list' || page.kind === 'detail' || page.kind === 'form') && !page.entity) {
      report(['sections', 'pages', i, 'entity'], `a ${page.kind} page needs the entity it shows`);
    }
  });

  uniqueBy(
    bp.sections.uiComponents,
    (c) => c.name.toLowerCase(),
    (i, c) =>
      report(['sections', 'uiComponents', i, 'name'], `another UI component is already named ${c.name}`),
  );
  uniqueBy(
    bp.userStories,
    (s) => s.id,
    (i, s) => report(['userStories', i, 'id'], `another user story already has id ${s.id}`),
  );
  uniqueBy(
    bp.openQuestions,
    (q) => q.id,
    (i, q) => report(['openQuestions', i, 'id'], `another open question already has id ${q.id}`),
  );
  bp.references.forEach((ref, i) => {
    if (ref.kind === 'url' && !ref.url) report(['references', i, 'url'], 'a url reference needs its url');
    if (ref.kind === 'upload' && !ref.artifactId) {
      report(['references', i, 'artifactId'], 'an upload reference needs its artifactId');
    }
  });
}

function checkEntities(bp: BlueprintShape, report: Report): void {
  const names = new Set<string>();
  const collections = new Map<string, string>();
  bp.sections.dataModel.entities.forEach((entity, i) => {
    const at: Path = ['sections', 'dataModel', 'entities', i];
    const lower = entity.name.toLowerCase();
    if (names.has(lower)) report([...at, 'name'], `another entity is already named ${entity.name}`);
    names.add(lower);
    const collection = collectionName(entity.name);
    const clash = collections.get(collection);
    if (clash && clash.toLowerCase() !== lower) {
      report(
        [...at, 'name'],
        `${entity.name} and ${clash} would share the URL /api/${collection}; rename one`,
      );
    }
    collections.set(collection, entity.name);

    const members = new Set<string>();
    entity.fields.forEach((field, f) => {
      const fat: Path = [...at, 'fields', f];
      if (RESERVED_FIELD_NAMES.has(field.name)) {
        report([...fat, 'name'], `${field.name} is reserved (every record gets id, createdAt and updatedAt)`);
      }
      if (members.has(field.name))
        report([...fat, 'name'], `${entity.name} already has a field ${field.name}`);
      members.add(field.name);
      if (field.type === 'enum') {
        if (!field.enumValues?.length)
          report([...fat, 'enumValues'], 'an enum field needs at least one value');
        else if (new Set(field.enumValues).size !== field.enumValues.length) {
          report([...fat, 'enumValues'], 'enum values must be unique');
        }
      } else if (field.enumValues !== undefined) {
        report([...fat, 'enumValues'], `only enum fields take enumValues (this one is ${field.type})`);
      }
    });
    entity.relations.forEach((rel, r) => {
      const rat: Path = [...at, 'relations', r, 'name'];
      if (members.has(rel.name) || RESERVED_FIELD_NAMES.has(rel.name)) {
        report(rat, `${entity.name} already has a field or relation ${rel.name}`);
      }
      members.add(rel.name);
      // A belongsTo is stored as `<name>Id`, which must not collide with a field either.
      if (rel.kind === 'belongsTo' && members.has(`${rel.name}Id`)) {
        report(rat, `${entity.name} already has a field ${rel.name}Id, which this relation would store`);
      }
    });
  });
}

function uniqueBy<T>(items: T[], key: (item: T) => string, onDuplicate: (index: number, item: T) => void) {
  const seen = new Set<string>();
  items.forEach((item, i) => {
    const k = key(item);
    if (seen.has(k)) onDuplicate(i, item);
    seen.add(k);
  });
}
