import type { Blueprint, TemplateId } from '../../blueprint/index.ts';

/**
 * What a Blueprint describes that its template never shows (pages of an API, forms and endpoints of
 * a static site) goes, with an assumption saying so, rather than checks that could never pass.
 * Returns those assumptions' words (empty when nothing went).
 */
export function fitToTemplate(bp: Blueprint, source: 'architect' | 'autopilot'): string[] {
  const notes: string[] = [];
  const assume = (text: string) => {
    bp.assumptions.push({ text, source });
    notes.push(text);
  };
  const template: TemplateId | undefined = bp.template;
  if (template === 'api-service' && (bp.sections.pages.length || bp.userStories.length)) {
    bp.sections.pages = [];
    bp.userStories = [];
    assume('An API has no pages: the pages and browser checks were left out.');
  }
  if (template === 'static-site') {
    const forms = bp.userStories.filter((s) =>
      s.acceptance.some((a) => a.check?.steps.some((step) => 'fill' in step || 'select' in step)),
    );
    if (forms.length) {
      bp.userStories = bp.userStories.filter((s) => !forms.includes(s));
      assume(`A static site has no forms: the stories ${forms.map((s) => s.id).join(', ')} were left out.`);
    }
    if (bp.sections.apiEndpoints.length) {
      bp.sections.apiEndpoints = [];
      assume('A static site has no API: the endpoints were left out.');
    }
  }
  return notes;
}
