/** The HTML of the knowledge curation pages (every value escaped); the data comes from article-routes.ts and portal.js. */
import escapeHtml from 'escape-html';
import type { Lang } from '../core/lang.ts';
import type { StoredArticle } from '../knowledge/article-store.ts';

const T = {
  fr: { knowledge: 'Articles', filter: 'Filtrer', all: 'Tous', edit: 'Modifier', source: 'Article (front matter + Markdown)', preview: 'Aperçu', saveDraft: 'Enregistrer le brouillon', publish: 'Publier', retire: 'Retirer', revisions: 'Révisions', export: 'Exporter (JSON Lines)', importFile: 'Importer un fichier CSV ou JSON Lines', import: 'Importer' },
  en: { knowledge: 'Articles', filter: 'Filter', all: 'All', edit: 'Edit', source: 'Article (front matter + Markdown)', preview: 'Preview', saveDraft: 'Save draft', publish: 'Publish', retire: 'Retire', revisions: 'Revisions', export: 'Export (JSON Lines)', importFile: 'Import a CSV or JSON Lines file', import: 'Import' },
} as const;

/** The list of articles with its filter, export and import (filled by portal.js). */
export function listHtml(lang: Lang): string {
  const t = T[lang];
  return `<h2>${t.knowledge}</h2>
<form id="article-filter" role="search"><label for="filter-text">${t.filter}</label> <input id="filter-text" type="search">
<label for="filter-status">Status</label> <select id="filter-status"><option value="">${t.all}</option><option>draft</option><option>published</option><option>retired</option></select></form>
<p><a href="/portal/api/admin/export" download>${t.export}</a></p>
<form id="import"><label for="import-file">${t.importFile}</label> <input id="import-file" type="file" accept=".csv,.jsonl,.ndjson" required> <button type="submit">${t.import}</button></form>
<div id="import-status" role="status" aria-live="polite"></div>
<div id="articles" aria-live="polite"></div>`;
}

/** The editor of one article version (`articleLang`), in the admin's language `lang`. */
export function editorHtml(lang: Lang, articleId: string, articleLang: Lang): string {
  const t = T[lang];
  const id = escapeHtml(articleId);
  return `<h2>${t.edit} ${id} (${articleLang})</h2>
<div id="editor" data-id="${id}" data-lang="${articleLang}">
<label for="source">${t.source}</label><textarea id="source" rows="22" spellcheck="false"></textarea>
<p><button type="button" id="save-draft">${t.saveDraft}</button> <button type="button" id="publish">${t.publish}</button> <button type="button" id="retire">${t.retire}</button></p>
<div id="editor-status" role="status" aria-live="polite"></div>
<h3>${t.preview}</h3><div id="preview" class="article-body"></div>
<h3>${t.revisions}</h3><ol id="revisions"></ol></div>`;
}

type Votes = { helpful: number; notHelpful: number };

/** Questions with no good answer, articles rated "not helpful", drafts to review. */
export function gapsHtml(lang: Lang, gaps: { example: string; count: number; lang: Lang }[], unhelpful: (StoredArticle & { votes: Votes })[], drafts: StoredArticle[]): string {
  const fr = lang === 'fr';
  const li = (items: string[]) => (items.length ? `<ol>${items.join('')}</ol>` : `<p>${fr ? 'Rien pour l’instant.' : 'Nothing yet.'}</p>`);
  const link = (a: StoredArticle) => `<a href="/portal/admin/knowledge/${escapeHtml(a.id)}/${a.lang}">${escapeHtml(a.id)}</a> ${escapeHtml(a.title)}`;
  return `<h2>${fr ? 'Lacunes de la base' : 'Knowledge gaps'}</h2>
<section><h3>${fr ? 'Questions sans bonne réponse' : 'Questions with no good answer'}</h3>${li(gaps.map((g) => `<li>${escapeHtml(g.example)} (${g.count}, ${g.lang})</li>`))}</section>
<section><h3>${fr ? 'Articles jugés « pas utiles »' : 'Articles rated “not helpful”'}</h3>${li(unhelpful.map((a) => `<li>${link(a)} (👎 ${a.votes.notHelpful}, 👍 ${a.votes.helpful})</li>`))}</section>
<section><h3>${fr ? 'Brouillons à relire (dont ceux tirés des tickets)' : 'Drafts to review (including those from tickets)'}</h3>${li(drafts.map((a) => `<li>${link(a)} — ${escapeHtml(a.source)}</li>`))}</section>`;
}
