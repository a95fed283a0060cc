/**
 * The company directory at start-up, when one is configured (DIRECTORY=ldap|graph): the actions
 * service on the database's stores, and the directory module plugged in before the flows (it reads
 * the account when the password or MFA guide starts and goes on with the guide otherwise). Its
 * tickets go to the ticket desk: an action done is a request resolved at once, at first level, by
 * the automation account. Without a directory nothing is built and the guides behave as before.
 */
import { createHmac } from 'node:crypto';
import type { CoreDeps } from '../core/handle-turn.ts';
import type { Level, NewTicket, Viewer } from '../core/tickets.ts';
import { createDirectoryModule, type DirectoryTicket, type DirectoryTickets } from '../directory/chat.ts';
import type { DirectoryEnv } from '../directory/env.ts';
import { reviveOutcome, type ActionOutcome } from '../directory/outcome.ts';
import { createDirectoryService, type DirectoryService } from '../directory/service.ts';
import type { Database } from '../persistence/database.ts';
import { chatIdentityOf, PrismaChallengeStore, PrismaDirectoryAuditLog, PrismaIdempotencyStore, PrismaResetTokenStore } from '../persistence/stores/directory.ts';
import type { TicketDeskService } from '../ticketing/desk/ticket-desk.ts';

/** The account that resolves what the automation did (a person row, so the ticket's history names it). */
export const AUTOMATION_USER = { id: 'guichet-automation', displayName: 'Guichet (automatisation)' } as const;

export interface DirectoryOptions {
  env: DirectoryEnv;
  desk?: TicketDeskService;
  publicUrl?: string;
  /** SESSION_SECRET: the one-time codes' HMAC key is derived from it, so every instance checks every code. */
  secret?: string;
}

export async function openDirectory(db: Database, deps: CoreDeps, options: DirectoryOptions): Promise<DirectoryService | undefined> {
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
  const module = createDirectoryModule({
    actions: service.actions,
    identityOf: (ctx) => chatIdentityOf(db, ctx.user.id, ctx.channel),
    ...(options.desk ? { tickets: await deskTickets(db, options.desk) } : {}),
    ...(options.publicUrl ? { publicUrl: options.publicUrl } : {}),
    fallback: () => deps.modules?.find((m) => m.name === 'flows'),
  });
  deps.modules = [...(deps.modules ?? []), module];
  return service;
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
      // A retried delivery finds the ticket already resolved: it is not resolved twice.
      if (ticket.kind === 'automated' && ticket.resolution && view.status !== 'resolved' && view.status !== 'closed') {
        await desk.resolve(view.number, automation, ticket.resolution);
      }
      return view.number;
    },
  };
}
