/**
 * The password reset page, /portal/reset/<token>: the one-time link Guichet gives in the chat. Only
 * the signed-in person whose directory account the link was made for may use it; they choose the
 * new password here (a plain form: it works without the page script), the directory's own policy
 * judges it, and its refusal is shown as it said it. The password is never shown back, logged or
 * kept: it goes from the form to the directory.
 */
import escapeHtml from 'escape-html';
import express, { type Request, type Response } from 'express';
import { z } from 'zod';
import type { Lang } from '../core/lang.ts';
import { say } from '../texts/index.ts';
import { me, type PortalContext } from './context.ts';

export type ResetCheck = { kind: 'ok'; login: string } | { kind: 'invalid' } | { kind: 'not-yours' };
export type ResetResult = { kind: 'done' } | { kind: 'invalid' } | { kind: 'not-yours' } | { kind: 'refused'; detail: string } | { kind: 'failed' };

/** The directory's password resets as the page uses them (built in the composition root). */
export interface PasswordResetPort {
  /** Whether `token` is a valid link for the account of person `personId`. */
  check(token: string, personId: string): Promise<ResetCheck>;
  /** Sets `password` through the directory; a refused password leaves the link valid. */
  complete(token: string, personId: string, password: string): Promise<ResetResult>;
}

const TOKEN = /^[A-Za-z0-9_-]{20,100}$/;
const formSchema = z.object({ password: z.string().min(1).max(256), confirm: z.string().max(256) });

export function resetPages(ctx: PortalContext, resets: PasswordResetPort): express.Router {
  const pages = express.Router();
  pages.use('/reset', (_req, res, next) => {
    // A page that carries a secret in its address: not cached, not sent on as a referrer.
    res.set({ 'Cache-Control': 'no-store', 'Referrer-Policy': 'no-referrer' });
    next();
  });

  pages.get('/reset/:token', ctx.requireUser(false), async (req, res) => {
    const p = me(res);
    const token = String(req.params.token);
    const checked = TOKEN.test(token) ? await resets.check(token, p.id) : ({ kind: 'invalid' } as const);
    if (checked.kind !== 'ok') return refusal(ctx, res, p.lang, checked.kind);
    form(ctx, req, res, token, checked.login);
  });

  pages.post('/reset/:token', ctx.requireUser(false), ctx.sessions.csrfProtection, async (req, res) => {
    const p = me(res);
    const token = String(req.params.token);
    const checked = TOKEN.test(token) ? await resets.check(token, p.id) : ({ kind: 'invalid' } as const);
    if (checked.kind !== 'ok') return refusal(ctx, res, p.lang, checked.kind);
    const body = formSchema.safeParse(req.body);
    if (!body.success || body.data.password !== body.data.confirm) {
      res.status(400);
      return form(ctx, req, res, token, checked.login, say(p.lang, 'directory.resetPageMismatch'));
    }
    const result = await resets.complete(token, p.id, body.data.password);
    switch (result.kind) {
      case 'done':
        return ctx.page(res, 'reset', `<h2>${escapeHtml(say(p.lang, 'directory.resetPageTitle'))}</h2><p role="status">${escapeHtml(say(p.lang, 'directory.passwordChanged'))}</p>`);
      case 'refused':
        res.status(422);
        return form(ctx, req, res, token, checked.login, say(p.lang, 'directory.passwordRefused', { detail: result.detail }));
      case 'failed':
        res.status(503);
        return form(ctx, req, res, token, checked.login, say(p.lang, 'directory.resetPageFailed'));
      default:
        return refusal(ctx, res, p.lang, result.kind);
    }
  });
  return pages;
}

function refusal(ctx: PortalContext, res: Response, lang: Lang, kind: 'invalid' | 'not-yours'): void {
  res.status(kind === 'invalid' ? 410 : 403);
  const message = say(lang, kind === 'invalid' ? 'directory.resetLinkInvalid' : 'directory.resetPageNotYours');
  ctx.page(res, 'reset', `<h2>${escapeHtml(say(lang, 'directory.resetPageTitle'))}</h2><p role="alert">${escapeHtml(message)}</p>`);
}

/** The form; `problem` (what the directory or the check said) is shown above it. The fields are always empty. */
function form(ctx: PortalContext, req: Request, res: Response, token: string, login: string, problem?: string): void {
  const lang = me(res).lang;
  const t = (key: Parameters<typeof say>[1], vars = {}) => escapeHtml(say(lang, key, vars));
  const csrf = ctx.sessions.csrfToken(req, res);
  const alert = problem ? `<p role="alert" id="reset-problem">${escapeHtml(problem)}</p>` : '';
  ctx.page(
    res,
    'reset',
    `<h2>${t('directory.resetPageTitle')}</h2><p>${t('directory.resetPageIntro', { login })}</p>${alert}
<form method="post" action="/portal/reset/${escapeHtml(token)}" id="reset-form">
<input type="hidden" name="_csrf" value="${escapeHtml(csrf)}">
<input type="text" name="username" value="${escapeHtml(login)}" autocomplete="username" hidden>
<p><label for="password">${t('directory.resetPageNew')}</label><br><input id="password" name="password" type="password" autocomplete="new-password" required maxlength="256"${problem ? ' aria-describedby="reset-problem"' : ''}></p>
<p><label for="confirm">${t('directory.resetPageConfirm')}</label><br><input id="confirm" name="confirm" type="password" autocomplete="new-password" required maxlength="256"></p>
<p><button type="submit">${t('directory.resetPageSubmit')}</button></p>
</form>`,
  );
}
