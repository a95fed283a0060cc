/**
 * The company directory at start-up, when one is configured (DIRECTORY=ldap|graph): the actions
 * service on the database's stores, and the directory modules around the flows (they read the
 * account when the password or MFA guide starts and go on with the guide otherwise; called after
 * openFlows). Its
 * tickets go to the ticket desk: an action done is a request resolved at once, at first level, by
 * the automation account. Without a directory nothing is built and the guides behave as before.
 */
import { createHmac, randomUUID } from 'node:crypto';
import type { CoreDeps } from '../core/handle-turn.ts';
import { AUTOMATION_ACTOR } from '../core/directory.ts';
import type { Lang } from '../core/lang.ts';
import type { Level, NewTicket, Viewer } from '../core/tickets.ts';
import type { ServiceDefinition } from '../catalog/services.ts';
import { describeOutcome } from '../directory/outcome-text.ts';
import type { ChatIdentity } from '../directory/identity.ts';
import { say } from '../texts/index.ts';
import { createDirectoryModules, type DirectoryTicket, type DirectoryTickets } from '../directory/chat.ts';
import type { DirectoryEnv } from '../directory/env.ts';
import { endDateIn, expireGrants } from '../directory/grants.ts';
import { describeIdentity, identify } from '../directory/identity.ts';
import { reviveOutcome, type ActionOutcome } from '../directory/outcome.ts';
import { createDirectoryService, type DirectoryService } from '../directory/service.ts';
import type { Database } from '../persistence/database.ts';
import { chatIdentityOf, PrismaChallengeStore, PrismaDirectoryAuditLog, PrismaGrantStore, PrismaIdempotencyStore, PrismaResetTokenStore } from '../persistence/stores/directory.ts';
import type { PasswordResetPort } from '../portal/reset-routes.ts';
import type { TicketDeskService } from '../ticketing/desk/ticket-desk.ts';

/** The account that resolves what the automation did (a person row, so the ticket's history names it). */
export const AUTOMATION_USER = AUTOMATION_ACTOR;

export interface DirectoryOptions {
  env: DirectoryEnv;
  desk?: TicketDeskService;
  /** The service catalogue: its `access` rules name the group an approved access request grants. */
  services?: readonly ServiceDefinition[];
  /** Where ticket changes are announced (open-ticketing's listeners): an approval grants the access. */
  changeListeners?: ((number: number, kind: string) => Promise<void>)[];
  defaultLang?: Lang;
  publicUrl?: string;
  /** SESSION_SECRET: the one-time codes' HMAC key is derived from it, so every instance checks every code. */
  secret?: string;
}

/** The directory service, with the sweep that ends timed accesses (run it where one process should). */
export interface OpenedDirectory extends DirectoryService {
  /** Removes the group memberships whose end date has passed; answers how many. */
  expireGrants(now?: Date): Promise<number>;
}

export async function openDirectory(db: Database, deps: CoreDeps, options: DirectoryOptions): Promise<OpenedDirectory | undefined> {
  const codeSecret = options.secret ? createHmac('sha256', options.secret).update('guichet directory one-time codes').digest() : undefined;
  const service = await createDirectoryService(
    options.env,
    {
      audit: new PrismaDirectoryAuditLog(db),
      challenges: new PrismaChallengeStore(db),
      resetTokens: new PrismaResetTokenStore(db),
      idempotency: new PrismaIdempotencyStore<ActionOutcome>(db, { revive: reviveOutcome }),
    },
    codeSecret ? { codeSecret } : {},
  );
  if (!service) return undefined;
  const chat = createDirectoryModules({
    actions: service.actions,
    identityOf: (ctx) => chatIdentityOf(db, ctx.user.id, ctx.channel),
    mfa: options.env.DIRECTORY === 'graph',
    ...(options.desk ? { tickets: await deskTickets(db, options.desk) } : {}),
    ...(options.publicUrl ? { publicUrl: options.publicUrl } : {}),
  });
  if (options.desk && options.changeListeners && options.services?.some((s) => s.access?.length)) {
    const grant = accessGrants(db, service, options.desk, options.services, options.defaultLang ?? 'fr');
    options.changeListeners.push((number, kind) => (kind === 'approved' ? grant(number) : Promise.resolve()));
  }
  // The flows module keeps its place (after safety and outages); the directory reads the account when it would start a guide.
  const modules = (deps.modules ?? []).map((m) => (m.name === 'flows' ? chat.guides(m) : m));
  // The directory's own question is the newest: it goes before the ticket module's "is it fixed?".
  deps.modules = [chat.waiting, ...modules];
  return { ...service, expireGrants: (now = new Date()) => expireGrants(service.directory, new PrismaGrantStore(db), service.audit, now) };
}

/** What each kind of ticket is: a security incident is P2 (high impact, medium urgency). */
const KINDS: Record<DirectoryTicket['kind'], { type: NewTicket['type']; category: string; impact: Level; urgency: Level }> = {
  automated: { type: 'request', category: 'account-access', impact: 3, urgency: 3 },
  failure: { type: 'incident', category: 'account-access', impact: 3, urgency: 1 },
  disabled: { type: 'incident', category: 'account-access', impact: 3, urgency: 2 },
  security: { type: 'incident', category: 'security', impact: 1, urgency: 2 },
};

async function deskTickets(db: Database, desk: TicketDeskService): Promise<DirectoryTickets> {
  await db.client.user.upsert({ where: { id: AUTOMATION_USER.id }, create: { ...AUTOMATION_USER, role: 'agent' }, update: {} });
  const automation: Viewer = { id: AUTOMATION_USER.id, role: 'agent' };
  return {
    open: async (ticket) => {
      const kind = KINDS[ticket.kind];
      const { ticket: view } = await desk.create({
        ...kind,
        title: ticket.title,
        description: ticket.description,
        serviceId: 'identity',
        requesterId: ticket.requesterId,
        conversationId: ticket.conversationId,
        origin: ticket.origin,
        createdBy: { id: null, kind: 'bot' },
      });
      return view.number;
    },
    resolve: async (number, resolution) => {
      const view = await desk.view(number, automation);
      // A retried delivery finds the ticket already resolved: it is not resolved twice.
      if (view && view.status !== 'resolved' && view.status !== 'closed') await desk.resolve(number, automation, resolution);
    },
  };
}

/**
 * The reset page's port: the signed-in person's directory account (their web identity mapped like a
 * chat identity: the OIDC subject and its e-mail) must be the one the link was made for. Each
 * attempt is audited; the password itself goes to the directory only.
 */
export function directoryResetPort(db: Database, service: DirectoryService): PasswordResetPort {
  const owner = async (personId: string) => {
    const identity = await chatIdentityOf(db, personId, 'web');
    if (!identity) return undefined;
    const found = await identify(service.directory, identity);
    return found.kind === 'found' ? { account: found.account, requester: describeIdentity(identity) } : undefined;
  };
  return {
    check: async (token, personId) => {
      const accountId = await service.resets.accountOf(token);
      if (!accountId) return { kind: 'invalid' };
      const who = await owner(personId);
      return who?.account.id === accountId ? { kind: 'ok', login: who.account.login } : { kind: 'not-yours' };
    },
    complete: async (token, personId, password) => {
      const who = await owner(personId);
      if (!who) return { kind: 'not-yours' };
      const outcome = await service.resets.completeReset(token, password, who.account.id);
      const result = outcome.kind === 'done' ? 'password-set' : outcome.kind === 'password-refused' ? 'refused:password-policy' : outcome.kind === 'failed' ? `failed:${outcome.reason}` : `refused:${outcome.kind}`;
      await service.audit.record({ at: new Date(), requester: who.requester, accountId: who.account.id, action: 'reset-password', result, idempotencyKey: `portal-reset:${randomUUID()}` });
      switch (outcome.kind) {
        case 'done':
          return { kind: 'done' };
        case 'password-refused':
          return { kind: 'refused', detail: outcome.detail };
        case 'failed':
          return { kind: 'failed' };
        case 'not-yours':
          return { kind: 'not-yours' };
        case 'invalid-token':
          return { kind: 'invalid' };
      }
    },
  };
}

/**
 * Access requests end in access: once the approver says yes, the requester is added to the group
 * the service catalogue names for the resource they asked for, the request is resolved (which tells
 * them) and the attempt audited; a refusal or failure is left to the service desk as an internal note.
 */
function accessGrants(db: Database, service: DirectoryService, desk: TicketDeskService, services: readonly ServiceDefinition[], defaultLang: Lang) {
  const automation: Viewer = { id: AUTOMATION_USER.id, role: 'agent' };
  return async (number: number): Promise<void> => {
    const row = await db.client.ticket.findUnique({ where: { number }, select: { type: true, title: true, description: true, serviceId: true, requesterId: true, requester: { select: { locale: true } } } });
    if (!row || row.type !== 'request') return;
    const asked = `${row.title}\n${row.description}`.toLowerCase();
    const rule = services.find((s) => s.id === row.serviceId)?.access?.find((r) => r.match.some((m) => asked.includes(m.toLowerCase())));
    if (!rule) return;
    const lang: Lang = row.requester.locale === 'en' || row.requester.locale === 'fr' ? row.requester.locale : defaultLang;
    const requester = await firstIdentity(db, row.requesterId);
    if (!requester) {
      await desk.addNote(number, automation, say(lang, 'directory.refusedUnverified'));
      return;
    }
    const outcome = await service.actions.perform({ idempotencyKey: `approved:${number}`, requester, action: 'add-to-group', group: rule.group, approval: `#${number}`, lang });
    const said = describeOutcome(outcome, lang);
    if (outcome.kind === 'done') {
      const until = endDateIn(asked);
      if (until) await new PrismaGrantStore(db).add({ accountId: outcome.accountId, group: rule.group, until, ticketNumber: number });
      const ends = until ? ` ${say(lang, 'directory.grantUntil', { date: until.toISOString().slice(0, 10) })}` : '';
      const view = await desk.view(number, automation);
      if (view && view.status !== 'resolved' && view.status !== 'closed') await desk.resolve(number, automation, `${said}${ends}`);
      return;
    }
    await desk.addNote(number, automation, outcome.kind === 'failed' ? `${said} (${outcome.reason}: ${outcome.detail})` : said);
  };
}

/** The requester's identity on the first platform that vouches for them. */
async function firstIdentity(db: Database, userId: string): Promise<ChatIdentity | undefined> {
  for (const channel of ['teams', 'slack', 'web']) {
    const identity = await chatIdentityOf(db, userId, channel);
    if (identity) return identity;
  }
  return undefined;
}
