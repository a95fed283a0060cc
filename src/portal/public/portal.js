// Guichet portal. Everything from the server is set with textContent, except
// article bodies, which the server renders from Guichet's own Markdown with raw
// HTML disabled.
const lang = document.body.dataset.lang === 'en' ? 'en' : 'fr';
const csrf = document.querySelector('meta[name="csrf-token"]')?.content ?? '';
const T = {
  fr: { title: 'Titre', due: 'Échéances', none: 'Aucun ticket. Décrivez votre problème à Guichet si vous avez besoin d’aide.', status: 'Statut', priority: 'Priorité', assignee: 'Pris en charge par', nobody: 'personne pour l’instant', next: 'Prochaine étape', add: 'Ajouter une information', send: 'Envoyer', fixedQ: 'Le problème est-il réglé ?', yes: 'Oui, c’est réglé', no: 'Non, toujours en panne', timeline: 'Historique', incident: 'Incident majeur en cours', since: 'depuis', helpful: 'Cela m’a aidé', notHelpful: 'Pas utile', thanks: 'Merci pour votre retour.', noResult: 'Aucun article ne correspond.', back: 'Mes tickets' },
  en: { title: 'Title', due: 'Due', none: 'No tickets. Describe your problem to Guichet if you need help.', status: 'Status', priority: 'Priority', assignee: 'Assignee', nobody: 'nobody yet', next: 'Next step', add: 'Add information', send: 'Send', fixedQ: 'Is the problem fixed?', yes: 'Yes, fixed', no: 'No, still broken', timeline: 'Timeline', incident: 'Major incident in progress', since: 'since', helpful: 'This fixed it', notHelpful: 'Not helpful', thanks: 'Thank you for your feedback.', noResult: 'No article matches.', back: 'My tickets' },
}[lang];

const el = (tag, props = {}, ...children) => {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (k === 'text') node.textContent = v;
    else if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v);
  }
  node.append(...children.filter(Boolean));
  return node;
};

async function api(path, body) {
  const response = await fetch(`/portal/api${path}`, body === undefined ? {} : { method: 'POST', headers: { 'content-type': 'application/json', 'x-csrf-token': csrf }, body: JSON.stringify(body) });
  if (!response.ok) throw Object.assign(new Error(`HTTP ${response.status}`), { status: response.status });
  return response.json();
}

async function renderIncidents() {
  const box = document.getElementById('incidents');
  const { incidents } = await api('/incidents');
  box.replaceChildren(...incidents.map((i) => el('p', { class: 'banner' }, el('strong', { text: `${T.incident} #${i.number} : ` }), `${i.title} (${T.since} ${i.since})`, i.latest ? ` — ${i.latest}` : '')));
}

async function renderTickets() {
  const box = document.getElementById('tickets');
  const { tickets } = await api('/tickets');
  if (tickets.length === 0) {
    box.replaceChildren(el('p', { text: T.none }));
    return;
  }
  const rows = tickets.map((t) =>
    el('tr', { 'data-number': String(t.number) },
      el('td', {}, el('a', { href: `/portal/tickets/${t.number}`, text: `#${t.number}` })),
      el('td', { text: t.title }),
      el('td', { class: `status ${t.status}`, text: t.statusLabel }),
      el('td', { text: `P${t.priority}` }),
      el('td', { text: t.assignee ?? T.nobody }),
      el('td', { text: t.due.join(' · ') }),
    ),
  );
  const head = el('tr', {}, ...['#', T.title, T.status, T.priority, T.assignee, T.due].map((h) => el('th', { scope: 'col', text: h })));
  box.replaceChildren(el('table', {}, el('thead', {}, head), el('tbody', {}, ...rows)));
}

async function renderTicket() {
  const box = document.getElementById('ticket');
  const number = box.dataset.number;
  const { ticket, timeline } = await api(`/tickets/${number}`);
  const facts = el('dl', {},
    el('dt', { text: T.status }), el('dd', { class: `status ${ticket.status}`, text: ticket.statusLabel }),
    el('dt', { text: T.priority }), el('dd', { text: `P${ticket.priority}` }),
    el('dt', { text: T.assignee }), el('dd', { text: ticket.assignee ?? T.nobody }),
    el('dt', { text: T.next }), el('dd', { text: ticket.nextStep }),
    // The due times in one cell beside their label (a lone <dd> would fall into the label column).
    ...(ticket.due.length > 0 ? [el('dt', { text: T.due }), el('dd', {}, ...ticket.due.map((d) => el('div', { text: d })))] : []),
  );
  const parts = [el('p', {}, el('a', { href: '/portal', text: `← ${T.back}` })), el('h2', { text: `#${ticket.number} ${ticket.title}` }), facts];
  if (ticket.status === 'resolved') {
    const answer = (fixed) => api(`/tickets/${number}/confirm`, { fixed, id: crypto.randomUUID() }).then(renderTicket);
    parts.push(el('section', { 'aria-label': T.fixedQ }, el('p', { text: T.fixedQ }), el('button', { type: 'button', id: 'fixed-yes', onclick: () => answer(true), text: T.yes }), ' ', el('button', { type: 'button', id: 'fixed-no', onclick: () => answer(false), text: T.no })));
  }
  if (['new', 'assigned', 'in-progress', 'pending-user'].includes(ticket.status)) {
    const input = el('textarea', { id: 'info', name: 'info', rows: '3', required: '' });
    const form = el('form', { id: 'add-info', onsubmit: (e) => { e.preventDefault(); api(`/tickets/${number}/info`, { text: input.value, id: crypto.randomUUID() }).then(renderTicket); } },
      el('label', { for: 'info', text: T.add }), input, el('button', { type: 'submit', text: T.send }));
    parts.push(form);
  }
  // Attached files are links on the platform they were sent on (http(s) only, opened without a referrer).
  const fileLinks = (files = []) =>
    files.filter((f) => /^https?:\/\//i.test(f.url)).map((f) => el('a', { class: 'file', href: f.url, rel: 'noopener noreferrer', target: '_blank', text: `📎 ${f.name}` }));
  parts.push(el('h3', { text: T.timeline }), el('ol', { class: 'timeline' }, ...timeline.map((e) => el('li', {}, el('time', { datetime: e.at, text: e.when }), ' ', e.text, ...fileLinks(e.files).flatMap((a) => [' ', a])))));
  box.replaceChildren(...parts);
}

async function search(query) {
  const box = document.getElementById('kb-results');
  const { articles } = await api(`/kb?q=${encodeURIComponent(query)}`);
  if (articles.length === 0) {
    box.replaceChildren(el('p', { text: T.noResult }));
    return;
  }
  box.replaceChildren(...articles.map((a) => {
    const body = el('div', { class: 'article-body' });
    body.innerHTML = a.html; // Guichet's own Markdown, rendered server-side without raw HTML
    const rate = (helpful) => api(`/kb/${encodeURIComponent(a.id)}/feedback`, { helpful, query, lang: a.lang }).then(() => buttons.replaceChildren(el('p', { text: T.thanks })));
    const buttons = el('p', {}, el('button', { type: 'button', onclick: () => rate(true), text: `👍 ${T.helpful}` }), ' ', el('button', { type: 'button', onclick: () => rate(false), text: `👎 ${T.notHelpful}` }));
    return el('article', { 'data-id': a.id }, el('h3', { text: a.title }), body, buttons);
  }));
}

const page = document.body.dataset.page;
if (page !== 'signin') {
  const refresh = () => Promise.all([renderIncidents(), page === 'tickets' ? renderTickets() : page === 'ticket' ? renderTicket() : null]).catch(() => undefined);
  refresh();
  // Live: the server says when one of my tickets or an incident changed.
  new EventSource('/portal/api/events').addEventListener('changed', refresh);
}
if (page === 'kb') {
  document.getElementById('kb-search').addEventListener('submit', (e) => {
    e.preventDefault();
    search(document.getElementById('q').value);
  });
}

// ——— Analytics (service desk) ———
const A = {
  fr: { conversations: 'Conversations', deflection: 'Résolu en libre-service', escalation: 'Transmis au support', mttr: 'Délai moyen de résolution', hours: 'h', csat: 'Satisfaction', answers: 'réponses', response: 'Prise en charge', resolution: 'Résolution', none: '—' },
  en: { conversations: 'Conversations', deflection: 'Self-service resolution', escalation: 'Escalated to the desk', mttr: 'Mean time to resolve', hours: 'h', csat: 'Satisfaction', answers: 'answers', response: 'Response', resolution: 'Resolution', none: '—' },
}[lang];
const percent = (x) => (x === null ? A.none : `${Math.round(x * 100)} %`);
const charts = [];

async function renderAnalytics() {
  const from = document.getElementById('from').value;
  const to = document.getElementById('to').value;
  const m = await api(`/admin/metrics?from=${from}&to=${to}`);
  const figure = (label, value) => el('div', { class: 'figure' }, el('span', { class: 'label', text: label }), el('strong', { text: value }));
  document.getElementById('figures').replaceChildren(
    figure(A.conversations, String(m.conversations)),
    figure(A.deflection, percent(m.deflectionRate)),
    figure(A.escalation, percent(m.escalationRate)),
    figure(A.mttr, m.meanHoursToResolve === null ? A.none : `${m.meanHoursToResolve.toFixed(1)} ${A.hours}`),
    figure(A.csat, m.satisfaction.average === null ? A.none : `${m.satisfaction.average.toFixed(1)} / 5 (${m.satisfaction.answers} ${A.answers})`),
  );
  document.getElementById('intents').replaceChildren(...m.topIntents.map((i) => el('li', { text: `${i.intent} (${i.count})` })));
  document.getElementById('categories').replaceChildren(...m.topCategories.map((c) => el('li', { text: `${c.category} (${c.count})` })));
  document.getElementById('gaps').replaceChildren(...m.topGaps.map((g) => el('li', { text: `${g.text} (${g.count})` })));
  for (const chart of charts.splice(0)) chart.destroy();
  const width = Math.min(900, document.getElementById('main').clientWidth - 20);
  const days = m.conversationsPerDay.map((d) => Date.parse(`${d.day}T12:00:00Z`) / 1000);
  charts.push(new uPlot({ width, height: 220, series: [{}, { label: A.conversations, stroke: '#0b5cad', fill: 'rgba(11,92,173,0.1)' }], axes: [{}, {}] }, [days, m.conversationsPerDay.map((d) => d.count)], document.getElementById('chart-conversations')));
  // Two bars side by side per priority: response on the left, resolution on the right.
  const left = uPlot.paths.bars({ size: [0.3, 40], align: -1 });
  const right = uPlot.paths.bars({ size: [0.3, 40], align: 1 });
  charts.push(
    new uPlot(
      {
        width, height: 220,
        scales: { x: { time: false, range: [0.5, 5.5] }, y: { range: [0, 100] } },
        axes: [{ splits: () => [1, 2, 3, 4, 5], values: (_u, ticks) => ticks.map((t) => `P${t}`) }, {}],
        series: [{}, { label: A.response, stroke: '#0b5cad', fill: '#0b5cad', paths: left }, { label: A.resolution, stroke: '#1a6b3c', fill: '#1a6b3c', paths: right }],
      },
      [m.sla.map((s) => s.priority), m.sla.map((s) => (s.responseMet === null ? null : Math.round(s.responseMet * 100))), m.sla.map((s) => (s.resolutionMet === null ? null : Math.round(s.resolutionMet * 100)))],
      document.getElementById('chart-sla'),
    ),
  );
}

if (page === 'analytics') {
  document.getElementById('period').addEventListener('submit', (e) => {
    e.preventDefault();
    renderAnalytics();
  });
  window.addEventListener('load', () => renderAnalytics());
}

// ——— Admin: knowledge ———
async function renderArticles() {
  const { articles } = await api('/admin/articles');
  const text = document.getElementById('filter-text');
  const status = document.getElementById('filter-status');
  const draw = () => {
    const q = text.value.trim().toLowerCase();
    const shown = articles.filter((a) => (!status.value || a.status === status.value) && (!q || `${a.id} ${a.title}`.toLowerCase().includes(q)));
    const rows = shown.map((a) => el('tr', {}, el('td', {}, el('a', { href: `/portal/admin/knowledge/${encodeURIComponent(a.id)}/${a.lang}`, text: a.id })), el('td', { text: a.lang }), el('td', { text: a.type }), el('td', { text: a.status }), el('td', { text: a.title })));
    document.getElementById('articles').replaceChildren(el('table', {}, el('tbody', {}, ...rows)));
  };
  text.addEventListener('input', draw);
  status.addEventListener('change', draw);
  draw();
}

function setupImport() {
  const form = document.getElementById('import');
  const statusLine = document.getElementById('import-status');
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const file = document.getElementById('import-file').files[0];
    if (!file) return;
    const format = file.name.toLowerCase().endsWith('.csv') ? 'csv' : 'jsonl';
    const response = await fetch('/portal/api/admin/import', { method: 'POST', headers: { 'content-type': 'application/json', 'x-csrf-token': csrf }, body: JSON.stringify({ format, content: await file.text() }) });
    const result = await response.json();
    statusLine.textContent = response.ok ? `${result.imported} ✓` : (result.problems ?? [result]).map((p) => `${p.line ? `line ${p.line}: ` : ''}${p.field ? `${p.field}: ` : ''}${p.problem ?? p.message}`).join(' · ');
    if (response.ok) renderArticles();
  });
}

async function renderEditor() {
  const box = document.getElementById('editor');
  const { id, lang: articleLang } = box.dataset;
  const source = document.getElementById('source');
  const statusLine = document.getElementById('editor-status');
  const load = async () => {
    const article = await api(`/admin/articles/${encodeURIComponent(id)}/${articleLang}`);
    source.value = article.source;
    document.getElementById('revisions').replaceChildren(...article.revisions.map((r) => el('li', { text: `${r.revision} · ${r.source ?? ""} · ${r.reason ?? ""} · ${r.at ?? ""}` })));
    preview();
  };
  let timer;
  const preview = () => {
    clearTimeout(timer);
    timer = setTimeout(async () => {
      const body = source.value.replace(/^---[\s\S]*?\n---\n?/, '');
      const { html } = await api('/admin/preview', { markdown: body });
      document.getElementById('preview').innerHTML = html; // rendered server-side without raw HTML
    }, 250);
  };
  const save = async (status) => {
    try {
      const result = await api('/admin/articles', { source: source.value, status });
      statusLine.textContent = `${result.id} (${result.lang}): ${result.status}`;
      await load();
    } catch (err) {
      statusLine.textContent = `${err.message}`;
    }
  };
  source.addEventListener('input', preview);
  document.getElementById('save-draft').addEventListener('click', () => save('draft'));
  document.getElementById('publish').addEventListener('click', () => save('published'));
  document.getElementById('retire').addEventListener('click', () => save('retired'));
  await load();
}

// ——— Admin: major incidents ———
async function renderIncidentAdmin() {
  const { incidents } = await api('/admin/incidents');
  const items = incidents.map((i) => {
    const item = el('li', {}, el('strong', { text: `#${i.number} ${i.title[lang]}` }), ` — ${i.serviceId} — ${i.status}`);
    if (i.status === 'open') {
      const input = el('input', { type: 'text', id: `incident-text-${i.number}`, 'aria-label': `${lang === 'fr' ? 'Mise à jour ou résolution' : 'Update or resolution'} #${i.number}` });
      item.append(
        ' ', input,
        ' ', el('button', { type: 'button', 'aria-label': `${lang === 'fr' ? 'Publier la mise à jour' : 'Post update'} #${i.number}`, text: lang === 'fr' ? 'Publier la mise à jour' : 'Post update', onclick: () => api(`/admin/incidents/${i.number}/update`, { text: input.value || '—' }).then(renderIncidentAdmin) }),
        ' ', el('button', { type: 'button', 'aria-label': `${lang === 'fr' ? 'Résoudre' : 'Resolve'} #${i.number}`, text: lang === 'fr' ? 'Résoudre' : 'Resolve', onclick: () => api(`/admin/incidents/${i.number}/resolve`, { text: input.value || '—' }).then(renderIncidentAdmin) }),
      );
      if (i.updates?.[0]) item.append(el('p', { class: 'latest', text: i.updates[0].text[lang] }));
    }
    return item;
  });
  document.getElementById('incident-list').replaceChildren(el('ul', {}, ...items));
}

if (page === 'admin-knowledge') {
  renderArticles();
  setupImport();
}
if (page === 'admin-article') renderEditor();
if (page === 'admin-incidents') {
  renderIncidentAdmin();
  document.getElementById('declare').addEventListener('submit', (e) => {
    e.preventDefault();
    api('/admin/incidents', { serviceId: document.getElementById('incident-service').value, title: document.getElementById('incident-title').value }).then(() => {
      renderIncidentAdmin();
      renderIncidents();
    });
  });
}
