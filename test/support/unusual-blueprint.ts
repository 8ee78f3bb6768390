import {
  type Blueprint,
  exposeEntity,
  fillGapsWithAssumptions,
  parseBlueprint,
  type TemplateId,
} from '../../src/modules/blueprint/index.ts';

/**
 * A build-ready Blueprint for `template` (tests only) whose entities and fields are words
 * JavaScript, SQL or HTML already use (`constructor`, `select`, `script`, `Class`), whose other
 * words are not Latin, and whose texts carry markup, quotes and Markdown: what a generated app must
 * show as written and never read as code.
 */
export function unusualBlueprint(template: TemplateId): Blueprint {
  const fields = [
    { name: 'constructor', type: 'text', required: true },
    { name: 'toString', type: 'longtext' },
    { name: 'select', type: 'enum', required: true, enumValues: ['нет', '是的', '<script>', "o'neil"] },
    { name: 'from', type: 'date' },
    { name: 'delete', type: 'boolean' },
    { name: 'where', type: 'number' },
    { name: 'style', type: 'url' },
    { name: 'script', type: 'integer' },
    { name: 'class', type: 'datetime' },
    { name: 'table', type: 'email' },
  ];
  const bp = parseBlueprint({
    schemaVersion: 1,
    template,
    feature: 'Данные «Café» 数据 <b>&</b>',
    summary: 'Всё, что нужно: 記録 & "quotes" <script>alert(1)</script>',
    sections: {
      dataModel: {
        entities: ['Select', 'Table', 'Script', 'Class', 'Prototype'].map((name) => ({ name, fields })),
      },
      pages: [
        {
          name: 'О нас',
          path: '/about',
          kind: 'custom',
          purpose: 'Кто мы <i>такие</i>',
          components: ['*Главное*'],
        },
      ],
      uiComponents: [{ name: '*Главное*', description: '_Не_ курсив: [ссылка](javascript:alert(1))' }],
    },
  });
  for (const entity of bp.sections.dataModel.entities) exposeEntity(bp, entity.name);
  fillGapsWithAssumptions(bp);
  return parseBlueprint(bp);
}
