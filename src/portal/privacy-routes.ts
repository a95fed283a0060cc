/**
 * The admin console's personal data page (issue #19): export a person's data as a JSON file, or erase
 * them (their tickets kept under a tombstone); both are plain forms (CSRF token in the form, as the
 * other admin forms) for admins only, and both are audited by the store. The retention periods in force
 * are listed below.
 */
import escapeHtml from 'escape-html';
import express, { type Response } from 'express';
import { z } from 'zod';
import type { Lang } from '../core/lang.ts';
import type { PrivacyAdmin } from '../privacy/ports.ts';
import { RETENTION_KINDS, type RetentionKind, type RetentionPeriods } from '../privacy/retention.ts';
import { tombstoneName } from '../privacy/tombstone.ts';
import { say } from '../texts/index.ts';
import type { AdminGuards } from './admin-deps.ts';
import { me, type PortalContext } from './context.ts';

const whoSchema = z.object({ who: z.string().trim().min(1).max(320), confirm: z.literal('yes').optional() });

export function privacyPages(ctx: PortalContext, privacy: PrivacyAdmin | undefined, guards: AdminGuards): express.Router {
  const pages = express.Router();
  if (!privacy) return pages;
  const admin = guards.adminOnly(false);
  const csrf = ctx.sessions.csrfProtection;
  const show = (res: Response, status: number, notice?: { text: string; error: boolean }) => {
    res.status(status);
    const token = escapeHtml(ctx.sessions.csrfToken(res.req, res));
    ctx.page(res, 'admin-privacy', pageHtml(me(res).lang, privacy.periods, notice).replaceAll('{{csrf}}', token));
  };

  pages.get('/privacy', admin, (_req, res) => show(res, 200));

  pages.post('/privacy/export', admin, csrf, async (req, res) => {
    const lang = me(res).lang;
    const body = whoSchema.safeParse(req.body);
    if (!body.success) return show(res, 400, { text: say(lang, 'privacy.adminBadInput'), error: true });
    const person = await privacy.store.find(body.data.who);
    if (!person) return show(res, 404, { text: say(lang, 'privacy.adminNotFound', { who: body.data.who }), error: true });
    const data = await privacy.store.exportData(person.id, { id: me(res).id, kind: 'admin', via: 'portal' }, privacy.clock.now());
    res.setHeader('Content-Disposition', `attachment; filename="guichet-export-${person.id}.json"`);
    res.setHeader('Cache-Control', 'no-store');
    res.type('application/json').send(`${JSON.stringify(data, null, 2)}\n`);
  });

  pages.post('/privacy/erase', admin, csrf, async (req, res) => {
    const lang = me(res).lang;
    const body = whoSchema.safeParse(req.body);
    if (!body.success) return show(res, 400, { text: say(lang, 'privacy.adminBadInput'), error: true });
    if (body.data.confirm !== 'yes') return show(res, 400, { text: say(lang, 'privacy.adminNeedConfirm'), error: true });
    const person = await privacy.store.find(body.data.who);
    if (!person) return show(res, 404, { text: say(lang, 'privacy.adminNotFound', { who: body.data.who }), error: true });
    const report = await privacy.store.erase(person.id, { id: me(res).id, kind: 'admin', via: 'portal' }, tombstoneName(person.id, privacy.defaultLang), privacy.clock.now());
    const text = say(lang, 'privacy.adminErased', { name: person.displayName, tombstone: report.tombstone, tickets: report.ticketsKept, messages: report.messagesDeleted });
    show(res, 200, { text, error: false });
  });
  return pages;
}

function pageHtml(lang: Lang, periods: RetentionPeriods, notice: { text: string; error: boolean } | undefined): string {
  const t = (key: Parameters<typeof say>[1], vars?: Record<string, string | number>) => escapeHtml(say(lang, key, vars));
  const status = notice ? `<p class="${notice.error ? 'error' : 'ok'}" role="${notice.error ? 'alert' : 'status'}">${escapeHtml(notice.text)}</p>` : '';
  const kinds = (Object.keys(RETENTION_KINDS) as RetentionKind[]).map((kind) => {
    const days = periods[kind];
    const name = say(lang, `privacy.kind_${kind}`);
    const period = days === null ? t('privacy.adminRetentionForever', { kind: name }) : days === 1 ? t('privacy.adminRetentionOneDay', { kind: name }) : t('privacy.adminRetentionDays', { kind: name, days });
    return `<li>${period} <small>(<code>${kind}</code>)</small></li>`;
  });
  return `<h2>${t('privacy.adminTitle')}</h2>${status}
<p>${t('privacy.adminIntro', { tombstone: say(lang, 'privacy.tombstone', { tag: 'a1b2c3' }) })}</p>
<h3>${t('privacy.adminExportTitle')}</h3>
<form method="post" action="/portal/admin/privacy/export" id="privacy-export"><input type="hidden" name="_csrf" value="{{csrf}}">
<label for="export-who">${t('privacy.adminWho')}</label> <input id="export-who" name="who" type="text" maxlength="320" required autocomplete="off">
<button type="submit">${t('privacy.adminExport')}</button></form>
<h3>${t('privacy.adminEraseTitle')}</h3>
<form method="post" action="/portal/admin/privacy/erase" id="privacy-erase"><input type="hidden" name="_csrf" value="{{csrf}}">
<label for="erase-who">${t('privacy.adminWho')}</label> <input id="erase-who" name="who" type="text" maxlength="320" required autocomplete="off">
<p><input id="erase-confirm" name="confirm" type="checkbox" value="yes"> <label for="erase-confirm" class="inline-label">${t('privacy.adminConfirm')}</label></p>
<button type="submit">${t('privacy.adminErase')}</button></form>
<h3>${t('privacy.adminRetention')}</h3><ul>${kinds.join('')}</ul>`;
}
