/** Signing in to the portal over real HTTP with the local development sign-in, and the page's CSRF token. */
import { Browser } from './http.ts';

/** Signs `email` in (WEB_DEV_SIGNIN); resolves with the browser holding the session cookie. */
export async function signIn(baseUrl: string, email: string): Promise<Browser> {
  const browser = new Browser(baseUrl);
  const form = await (await browser.get('/portal/signin')).text();
  const csrf = /name="_csrf" value="([^"]+)"/.exec(form)?.[1];
  if (!csrf) throw new Error(`no sign-in form at ${baseUrl}/portal/signin`);
  const done = await browser.request('/portal/signin', {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ _csrf: csrf, email }).toString(),
  });
  if (done.headers.get('location') !== '/portal') throw new Error(`sign-in of ${email} failed: ${done.status} ${done.headers.get('location') ?? ''}`);
  return browser;
}

/** The CSRF token of a page the person is signed in to (the portal's script sends it as x-csrf-token). */
export async function csrfOf(browser: Browser): Promise<string> {
  const page = await (await browser.get('/portal')).text();
  const token = /<meta name="csrf-token" content="([^"]*)"/.exec(page)?.[1];
  if (!token) throw new Error('no CSRF token on /portal');
  return token;
}
