/**
 * Signing in and out: the company's OpenID Connect provider, or the local development sign-in
 * (WEB_DEV_SIGNIN: pick a person by e-mail, for trying Guichet on one machine).
 */
import escapeHtml from 'escape-html';
import express from 'express';
import { z } from 'zod';
import { browserLang, type PortalContext } from './context.ts';
import type { Oidc } from './oidc.ts';
import { renderPage, TEXT } from './page.ts';

export interface SignInOptions {
  devSignIn: boolean;
  secureCookies: boolean;
  oidc?: Oidc;
}

export function signInRoutes(ctx: PortalContext, options: SignInOptions): express.Router {
  const router = express.Router();
  const { sessions } = ctx;
  const { oidc } = options;
  router.get('/signin', (req, res) => {
    if (!options.devSignIn && !oidc) {
      res.status(503).type('text').send('portal: no sign-in is configured (OIDC_ISSUER_URL, or WEB_DEV_SIGNIN=true on a local install)');
      return;
    }
    const lang = browserLang(req);
    const t = TEXT[lang];
    const token = sessions.csrfToken(req, res);
    const company = oidc ? `<p><a class="button" href="/portal/signin/oidc">${lang === 'fr' ? 'Se connecter avec son compte de l’entreprise' : 'Sign in with your company account'}</a></p>` : '';
    const local = options.devSignIn
      ? `<p>${t.devNote}</p><form method="post" action="/portal/signin"><input type="hidden" name="_csrf" value="${escapeHtml(token)}">
<label for="email">${t.email}</label> <input id="email" name="email" type="email" autocomplete="email" required>
<button type="submit">${t.signIn}</button></form>`
      : '';
    const failed = req.query.failed ? `<p role="alert">${lang === 'fr' ? 'La connexion a échoué.' : 'Sign-in failed.'}</p>` : '';
    renderPage(res, undefined, lang, 'signin', `<h2>${t.signIn}</h2>${company}${local}${req.query.unknown ? `<p role="alert">${t.unknown}</p>` : ''}${failed}`, token);
  });
  if (oidc) oidcRoutes(router, ctx, oidc, options.secureCookies);
  router.post('/signin', sessions.csrfProtection, async (req, res) => {
    if (!options.devSignIn) {
      res.status(503).end();
      return;
    }
    const email = z.string().trim().toLowerCase().email().safeParse((req.body as { email?: unknown }).email);
    const userId = email.success ? await ctx.people.idByEmail(email.data) : undefined;
    if (!userId) {
      res.redirect(303, '/portal/signin?unknown=1');
      return;
    }
    await ctx.people.linkPortalChat(userId);
    await sessions.signIn(req, res, userId);
    res.redirect(303, '/portal');
  });
  // Signing out ends the session on the server: a copy of the cookie is refused afterwards.
  router.post('/signout', sessions.csrfProtection, async (req, res) => {
    await sessions.signOut(req, res);
    res.redirect(303, '/portal/signin');
  });
  return router;
}

function oidcRoutes(router: express.Router, ctx: PortalContext, oidc: Oidc, secureCookies: boolean): void {
  router.get('/signin/oidc', async (_req, res) => {
    await oidc.start(res, secureCookies);
  });
  router.get('/oidc/callback', async (req, res) => {
    try {
      const userId = await oidc.finish(req, res);
      await ctx.sessions.signIn(req, res, userId);
      res.redirect(303, '/portal');
    } catch {
      // Deliberately quiet: the reason stays out of the page and of the logs (it may quote tokens).
      res.redirect(303, '/portal/signin?failed=1');
    }
  });
}
