/**
 * The portal's page shell: a small server-rendered HTML page (every value escaped) with the
 * navigation for the person's role, filled by /portal/assets/portal.js from the JSON API.
 */
import { say } from '../texts/index.ts';
import escapeHtml from 'escape-html';
import type { Response } from 'express';
import type { Lang } from '../core/lang.ts';
import type { PortalRole } from './ports.ts';

/** The person signed in on a request, in the language the portal speaks to them. */
export interface Person {
  id: string;
  displayName: string;
  role: PortalRole;
  lang: Lang;
}

export const TEXT = {
  fr: { title: 'Mon support informatique', tickets: 'Mes tickets', kb: 'Base de connaissances', chat: 'Discuter avec Guichet', signOut: 'Se déconnecter', signIn: 'Se connecter', email: 'Adresse e-mail professionnelle', devNote: 'Connexion locale de développement (WEB_DEV_SIGNIN) : choisissez une personne par son e-mail.', unknown: 'Personne inconnue.' },
  en: { title: 'My IT support', tickets: 'My tickets', kb: 'Knowledge base', chat: 'Chat with Guichet', signOut: 'Sign out', signIn: 'Sign in', email: 'Work e-mail address', devNote: 'Local development sign-in (WEB_DEV_SIGNIN): pick a person by e-mail.', unknown: 'Unknown person.' },
} as const;

/** The links a person sees: the service desk's pages for agents and admins, the curation pages for admins. */
function nav(person: Person, lang: Lang, csrf: string): string {
  const t = TEXT[lang];
  const fr = lang === 'fr';
  const staff = person.role === 'employee' ? '' : ` <a href="/portal/admin/analytics">${fr ? 'Indicateurs' : 'Analytics'}</a> <a href="/portal/admin/incidents">Incidents</a> <a href="/portal/admin/queue">${fr ? 'File' : 'Queue'}</a>`;
  const admin = person.role === 'admin' ? ` <a href="/portal/admin/knowledge">Articles</a> <a href="/portal/admin/gaps">${fr ? 'Lacunes' : 'Gaps'}</a> <a href="/portal/admin/config">Config</a> <a href="/portal/admin/privacy">${fr ? 'Données personnelles' : 'Personal data'}</a>` : '';
  return `<nav aria-label="Portal"><a href="/portal">${t.tickets}</a> <a href="/portal/kb">${t.kb}</a> <a href="/portal/status">${say(lang, 'incidents.statusTitle')}</a> <a href="/">${t.chat}</a>${staff}${admin}
        <form method="post" action="/portal/signout" class="inline"><input type="hidden" name="_csrf" value="${escapeHtml(csrf)}"><button type="submit">${t.signOut}</button></form>
        <span class="who">${escapeHtml(person.displayName)}</span></nav>`;
}

/** Sends page `name` (the script's data-page) with `body`, for `person` (none on the sign-in page). */
export function renderPage(res: Response, person: Person | undefined, lang: Lang, name: string, body: string, csrf = ''): void {
  const t = TEXT[lang];
  res.type('html').send(`<!doctype html>
<html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="csrf-token" content="${escapeHtml(csrf)}"><title>${t.title} — Guichet</title>
<link rel="stylesheet" href="/portal/assets/portal.css"></head>
<body data-page="${name}" data-lang="${lang}">
<header><h1><a href="/portal">Guichet</a></h1>${person ? nav(person, lang, csrf) : ''}</header>
<div id="incidents" role="status" aria-live="polite"></div>
<main id="main">${body}</main>
<script src="/portal/assets/portal.js" defer></script>
</body></html>`);
}
