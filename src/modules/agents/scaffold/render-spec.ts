/**
 * Blueprint → spec.md: a readable Markdown spec (overview, data model tables, endpoints, pages,
 * design tokens, assumptions, open questions) filled into templates/spec/spec.md.
 */
import { type Blueprint, isReadyToBuild, templateOf } from '../../blueprint/index.ts';
import { readTemplateFile } from './template-parts.ts';

const NONE = '_None yet._';

/** Text safe inside a Markdown table cell. */
const cell = (text: string | undefined) =>
  (text ?? '')
    .replace(/\\/g, '\\\\')
    .replace(/\|/g, '\\|')
    .replace(/\s*\n\s*/g, ' ');
const table = (head: string[], rows: string[][]) =>
  rows.length
    ? [
        `| ${head.join(' | ')} |`,
        `|${head.map(() => '---').join('|')}|`,
        ...rows.map((r) => `| ${r.join(' | ')} |`),
      ].join('\n')
    : NONE;
const code = (text: string) => `\`${text.replace(/`/g, "'")}\``;

function dataModel(bp: Blueprint): string {
  const entities = bp.sections.dataModel.entities;
  if (!entities.length) return NONE;
  return entities
    .map((e) => {
      const rows = e.fields.map((f) => [
        code(f.name),
        f.type === 'enum' ? `enum (${cell(f.enumValues?.join(', '))})` : f.type,
        f.required ? 'yes' : 'no',
        cell([f.unique ? 'unique' : '', f.description ?? ''].filter(Boolean).join('; ')),
      ]);
      const relations = e.relations.map(
        (r) => `- ${r.kind === 'belongsTo' ? 'belongs to' : 'has many'} **${r.target}** (as ${code(r.name)})`,
      );
      return [
        `### ${e.name}`,
        e.description ? `\n${e.description}` : '',
        '',
        table(['Field', 'Type', 'Required', 'Notes'], rows),
        relations.length ? `\nRelations:\n\n${relations.join('\n')}` : '',
      ]
        .filter((part, i) => i !== 1 || part)
        .join('\n');
    })
    .join('\n\n');
}

function designTokens(bp: Blueprint): string {
  const tokens = bp.sections.designSystem.tokens;
  const rows = (['colors', 'fonts', 'fontSizes', 'radii', 'spacing'] as const).flatMap((group) =>
    Object.entries(tokens[group]).map(([name, value]) => [group, code(name), code(value)]),
  );
  return table(['Group', 'Token', 'Value'], rows);
}

export function renderSpec(bp: Blueprint): string {
  const readiness = isReadyToBuild(bp);
  const { apiEndpoints, pages, uiComponents } = bp.sections;
  const values: Record<string, string> = {
    feature: bp.feature || 'Untitled feature',
    summary: bp.summary || '_No summary yet._',
    template: templateOf(bp),
    readiness: readiness.ready
      ? 'ready to build'
      : `not ready: ${readiness.unmet.map((u) => u.message).join(' ')}`,
    dataModel: dataModel(bp),
    endpoints: table(
      ['Method', 'Path', 'Entity', 'Action', 'Description'],
      apiEndpoints.map((ep) => [ep.method, code(ep.path), ep.entity ?? '', ep.action, cell(ep.description)]),
    ),
    pages: table(
      ['Page', 'Path', 'Kind', 'Shows', 'Purpose', 'Components'],
      pages.map((p) => [
        cell(p.name),
        p.path ? code(p.path) : '_no path yet_',
        p.kind,
        p.entity ?? '',
        cell(p.purpose),
        cell(p.components.join(', ')),
      ]),
    ),
    userStories: bp.userStories.length
      ? bp.userStories
          .map((story) =>
            [
              `- **${story.id}**: ${cell(story.story)}`,
              ...story.acceptance.map(
                (c) =>
                  `  - ${cell(c.text)}${c.check ? ` — check at ${code(c.check.path)}: ${c.check.steps.map((s) => code(JSON.stringify(s))).join(', ')}` : ' _(not checked in the browser)_'}`,
              ),
            ].join('\n'),
          )
          .join('\n')
      : NONE,
    components: uiComponents.length
      ? uiComponents
          .map((c) => `- **${cell(c.name)}**${c.description ? `: ${cell(c.description)}` : ''}`)
          .join('\n')
      : NONE,
    designTokens: designTokens(bp),
    references: bp.references.length
      ? bp.references
          .map(
            (r) =>
              `- ${r.kind === 'url' ? r.url : `upload ${r.artifactId}`}${r.note ? `: ${cell(r.note)}` : ''}`,
          )
          .join('\n')
      : NONE,
    assumptions: bp.assumptions.length
      ? bp.assumptions
          .map((a) => (typeof a === 'string' ? `- ${cell(a)}` : `- ${cell(a.text)} _(${a.source})_`))
          .join('\n')
      : NONE,
    openQuestions: bp.openQuestions.length
      ? bp.openQuestions
          .map(
            (q) =>
              `- **${q.id}**: ${cell(q.question)}\n  ${q.answer ? `Answer: ${cell(q.answer)}` : '_Unanswered._'}`,
          )
          .join('\n')
      : NONE,
  };
  // One pass over the template, so a value that happens to contain {{…}} is never expanded.
  return readTemplateFile('spec/spec.md').replace(
    /\{\{(\w+)\}\}/g,
    (whole, key: string) => values[key] ?? whole,
  );
}
