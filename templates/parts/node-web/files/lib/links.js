/** Where things live: the page of a given kind for a model, and links to its records. */
export function pageFor(site, kind, modelName) {
  return site.pages.find((p) => p.kind === kind && p.entity === modelName);
}

/** Fills a page path's last `:param` with `id` (detail pages read the record id from it). */
export function hrefFor(page, id) {
  const params = page.path.match(/:[A-Za-z0-9]+/g) ?? [];
  let href = page.path;
  params.forEach((param, i) => {
    href = href.replace(param, i === params.length - 1 ? encodeURIComponent(String(id)) : '-');
  });
  return href;
}

export function detailHref(site, model, id) {
  const page = pageFor(site, 'detail', model.name);
  return page ? hrefFor(page, id) : undefined;
}

export function listHref(site, model) {
  return pageFor(site, 'list', model.name)?.path;
}

/** The record id a detail page was opened with (its path's last parameter). */
export function idParam(params) {
  const values = Object.values(params);
  const raw = values[values.length - 1] ?? '';
  return /^\d+$/.test(raw) ? Number(raw) : raw;
}
