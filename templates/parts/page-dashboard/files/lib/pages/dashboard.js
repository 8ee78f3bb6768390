/**
 * A dashboard: the headline numbers and the charts of each model's records (lib/charts.js), or of
 * the one model the page names. Each model links to its list page when it has one.
 */
import { barChart, chartsFor, totalsFor } from '../charts.js';
import { html } from '../html.js';
import { listHref } from '../links.js';

const formatNumber = (n) => n.toLocaleString('en-US', { maximumFractionDigits: 2 });

function modelSection(ctx, model) {
  const items = ctx.records.list(model);
  const href = listHref(ctx.site, model);
  const totals = totalsFor(model, items).map(
    (t) =>
      html`<li class="kpi card"${t.count ? html` data-model="${model.name}" data-total="${t.value}"` : ''}><span class="kpi-value">${formatNumber(t.value)}</span><span class="kpi-label">${t.label}</span></li>`,
  );
  const charts = chartsFor(model, items);
  return html`<section class="dashboard-model" data-dashboard-model="${model.name}">
<h2>${href ? html`<a href="${href}">${model.label}</a>` : model.label}</h2>
<ul class="kpis">${totals}</ul>
${charts.length ? html`<div class="charts">${charts.map(barChart)}</div>` : ''}
</section>`;
}

export function render(ctx) {
  const { page, model, records } = ctx;
  const shown = model ? [model] : records.models;
  return {
    title: page.name,
    body: html`<h1>${page.name}</h1>
${page.purpose ? html`<p class="lead">${page.purpose}</p>` : ''}
<div class="dashboard">
${shown.length ? shown.map((m) => modelSection(ctx, m)) : html`<p class="empty">There is nothing to chart yet.</p>`}
</div>`,
  };
}
