/**
 * The template catalog: each template is a folder `templates/<id>/` whose `template.json` names it,
 * lists its base parts and carries the Blueprint that starting from it pre-fills.
 */
import { z } from 'zod';
import { ValidationError } from '../../../platform/errors.ts';
import {
  type Blueprint,
  parseBlueprint,
  type TemplateId,
  TemplateId as TemplateIdSchema,
} from '../../blueprint/index.ts';
import { scaffoldFiles } from './scaffold-files.ts';
import { readTemplateFile } from './template-parts.ts';

export interface TemplateInfo {
  id: TemplateId;
  name: string;
  description: string;
  /** The Blueprint that starting from this template pre-fills (a fresh copy each call). */
  blueprint: Blueprint;
}

const Manifest = z.strictObject({
  name: z.string().min(1),
  description: z.string(),
  parts: z.array(z.string().regex(/^[a-z0-9-]+$/)).min(1),
  blueprint: z.unknown(),
});

const manifests = new Map<TemplateId, z.infer<typeof Manifest> & { blueprint: Blueprint }>();

function manifest(id: TemplateId) {
  const cached = manifests.get(id);
  if (cached) return cached;
  const raw = Manifest.parse(JSON.parse(readTemplateFile(`${id}/template.json`)));
  const loaded = {
    ...raw,
    blueprint: parseBlueprint(raw.blueprint, `templates/${id}/template.json blueprint`),
  };
  manifests.set(id, loaded);
  return loaded;
}

export function listTemplates(): TemplateInfo[] {
  return TemplateIdSchema.options.map((id) => {
    const m = manifest(id);
    return { id, name: m.name, description: m.description, blueprint: structuredClone(m.blueprint) };
  });
}

export function templateIdOf(raw: string): TemplateId {
  const parsed = TemplateIdSchema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const known = TemplateIdSchema.options.join(', ');
  throw new ValidationError(`There is no template ${raw} (templates: ${known})`, [
    { field: 'template', message: `must be one of ${known}` },
  ]);
}

/** Renders a template for a Blueprint: relative path → file contents. Pure and deterministic. */
export function renderTemplate(templateId: string, blueprint: Blueprint): Map<string, string> {
  const id = templateIdOf(templateId);
  const bp = parseBlueprint(blueprint);
  return scaffoldFiles(id, { ...bp, template: id }, manifest(id).parts);
}
