/**
 * Sign-in with OpenID Connect (Microsoft Entra ID or any compliant provider)
 * through openid-client: authorization code with PKCE, state and nonce kept
 * in a short-lived signed cookie, the ID token checked by the library. The
 * person is found by their identity at that issuer (platform "web", tenant =
 * issuer, id = subject), else by e-mail (people of config/ keep their role),
 * else created as an employee; a configured groups claim can make them an
 * agent or an admin (never demotes).
 */
import * as client from 'openid-client';
import type { Request, Response } from 'express';
import { GuichetError } from '../core/errors.ts';
import { toLang } from '../core/lang.ts';
import type { PortalPeople, PortalRole } from './ports.ts';

export interface OidcSettings {
  issuerUrl: string;
  clientId: string;
  clientSecret?: string;
  redirectUrl: string;
  /** Claim listing the person's groups (default "groups"). */
  roleClaim?: string;
  adminGroups?: readonly string[];
  agentGroups?: readonly string[];
  /** Plain-HTTP issuers (a local provider in tests): never in production. */
  allowHttp?: boolean;
}

const FLOW_COOKIE = 'guichet_oidc';

export type Oidc = ReturnType<typeof createOidc>;

export function createOidc(settings: OidcSettings, people: PortalPeople) {
  let configuration: Promise<client.Configuration> | undefined;
  const discover = () =>
    (configuration ??= client
      .discovery(new URL(settings.issuerUrl), settings.clientId, settings.clientSecret, undefined, settings.allowHttp ? { execute: [client.allowInsecureRequests] } : undefined)
      .catch((err: unknown) => {
        configuration = undefined; // try again next time
        throw err;
      }));

  return {
    /** Redirects to the provider, remembering state, nonce and PKCE verifier in a signed cookie. */
    async start(res: Response, secure: boolean): Promise<void> {
      const config = await discover();
      const verifier = client.randomPKCECodeVerifier();
      const state = client.randomState();
      const nonce = client.randomNonce();
      res.cookie(FLOW_COOKIE, JSON.stringify({ verifier, state, nonce }), { signed: true, httpOnly: true, sameSite: 'lax', secure, maxAge: 10 * 60_000, path: '/portal' });
      const url = client.buildAuthorizationUrl(config, {
        redirect_uri: settings.redirectUrl,
        scope: 'openid profile email',
        code_challenge: await client.calculatePKCECodeChallenge(verifier),
        code_challenge_method: 'S256',
        state,
        nonce,
      });
      res.redirect(303, url.href);
    },

    /** The provider's redirect back: checks it, finds or creates the person; resolves with their id. */
    async finish(req: Request, res: Response): Promise<string> {
      const config = await discover();
      const raw: unknown = (req.signedCookies as Record<string, unknown>)[FLOW_COOKIE];
      res.clearCookie(FLOW_COOKIE, { path: '/portal' });
      if (typeof raw !== 'string') throw new GuichetError('portal.oidc-no-flow', 'portal: no OIDC sign-in in progress (cookie missing or tampered with)');
      const flow = JSON.parse(raw) as { verifier: string; state: string; nonce: string };
      const current = new URL(req.originalUrl, settings.redirectUrl);
      const tokens = await client.authorizationCodeGrant(config, current, { pkceCodeVerifier: flow.verifier, expectedState: flow.state, expectedNonce: flow.nonce, idTokenExpected: true });
      const claims = tokens.claims();
      if (!claims?.sub) throw new GuichetError('portal.oidc-no-subject', `portal: the ID token from ${String(claims?.iss)} names nobody (no "sub" claim)`);
      return personFor(people, settings, {
        issuer: String(claims.iss),
        subject: claims.sub,
        email: typeof claims.email === 'string' ? claims.email.toLowerCase() : undefined,
        name: typeof claims.name === 'string' ? claims.name : undefined,
        locale: typeof claims.locale === 'string' ? toLang(claims.locale) : undefined,
        groups: groupsOf(claims[settings.roleClaim ?? 'groups']),
      });
    },
  };
}

function groupsOf(value: unknown): string[] {
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
  return typeof value === 'string' ? [value] : [];
}

const RANK: Record<PortalRole, number> = { employee: 0, agent: 1, admin: 2 };

/** The person behind the provider's claims; a groups claim can raise their role, never lower it. */
async function personFor(
  people: PortalPeople,
  settings: OidcSettings,
  who: { issuer: string; subject: string; email?: string; name?: string; locale?: ReturnType<typeof toLang>; groups: string[] },
): Promise<string> {
  const person = await people.findOrCreateByIssuer({ issuer: who.issuer, subject: who.subject, email: who.email, name: who.name, locale: who.locale });
  // The portal chat speaks for this person too.
  await people.linkPortalChat(person.id);
  const wanted: PortalRole = who.groups.some((g) => settings.adminGroups?.includes(g)) ? 'admin' : who.groups.some((g) => settings.agentGroups?.includes(g)) ? 'agent' : 'employee';
  if (RANK[wanted] > RANK[person.role]) await people.setRole(person.id, wanted);
  return person.id;
}
