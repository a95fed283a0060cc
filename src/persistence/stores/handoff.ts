/** HandoffStore on Prisma: escalation posts, relay state, agents' groups and availability. */
import type { Channel } from '../../core/messages.ts';
import { isOpenStatus, TICKET_STATUSES, type PersonRef } from '../../core/tickets.ts';
import type { GroupChannelAddress, HandoffStore, Relay } from '../../handoff/ports.ts';
import { isUniqueViolation, type Database } from '../database.ts';
import { toJson } from './json.ts';
import { portable, readJson } from './raw-sql.ts';

const RELAYS: readonly Relay[] = ['bot', 'queued', 'live'];
/** Statuses of tickets someone still works on (core's isOpenStatus). */
const OPEN = TICKET_STATUSES.filter(isOpenStatus);

const asRelay = (value: string): Relay => RELAYS.find((r) => r === value) ?? 'bot';

/** "channel|tenantId|externalId": how a conversation is named across platforms. */
export function conversationKey(channel: string, tenantId: string, externalId: string): string {
  return `${channel}|${tenantId}|${externalId}`;
}

export class PrismaHandoffStore implements HandoffStore {
  constructor(private readonly db: Database) {}

  // What an escalation reads (relay, posts, channels, available agents) runs in the turn that opens a ticket:
  // direct statements (../direct-sql.ts), not Prisma queries.

  async relayOf(number: number): Promise<Relay> {
    const [row] = await this.db.direct.all(portable(this.db.provider, 'SELECT "relay" FROM "Ticket" WHERE "number" = ?'), [number]);
    return asRelay((row?.relay as string | undefined) ?? 'bot');
  }

  async setRelay(number: number, relay: Relay): Promise<void> {
    await this.db.client.ticket.update({ where: { number }, data: { relay } });
  }

  async relayedTicketOf(conversationId: string): Promise<{ number: number; relay: 'queued' | 'live' } | undefined> {
    // Every turn asks (twice): one direct statement (../direct-sql.ts) instead of a Prisma query.
    const [row] = await this.db.direct.all(
      portable(this.db.provider, `SELECT "number", "relay" FROM "Ticket" WHERE "conversationId" = ? AND "relay" IN ('queued', 'live') AND "status" IN (${OPEN.map(() => '?').join(', ')}) ORDER BY "createdAt" DESC LIMIT 1`),
      [conversationId, ...OPEN],
    );
    if (!row) return undefined;
    return { number: Number(row.number), relay: row.relay === 'live' ? 'live' : 'queued' };
  }

  async posts(number: number): Promise<{ platform: Channel; post: unknown }[]> {
    const rows = await this.db.direct.all(
      portable(this.db.provider, 'SELECT p."platform", p."post" FROM "EscalationPost" p JOIN "Ticket" t ON t."id" = p."ticketId" WHERE t."number" = ? ORDER BY p."createdAt"'),
      [number],
    );
    return rows.map((r) => ({ platform: r.platform as Channel, post: readJson(this.db.provider, r.post) }));
  }

  async savePost(number: number, platform: Channel, post: unknown, threadKey: string | null): Promise<boolean> {
    const ticket = await this.db.client.ticket.findUniqueOrThrow({ where: { number }, select: { id: true } });
    try {
      await this.db.client.escalationPost.create({ data: { ticketId: ticket.id, platform, post: toJson(post), threadKey } });
      return true;
    } catch (err) {
      if (isUniqueViolation(err)) return false;
      throw err;
    }
  }

  async ticketOfThread(threadKey: string): Promise<number | undefined> {
    const row = await this.db.client.escalationPost.findUnique({ where: { threadKey }, select: { ticket: { select: { number: true } } } });
    return row?.ticket.number;
  }

  async channelsOf(groupId: string): Promise<GroupChannelAddress[]> {
    const rows = await this.db.direct.all(portable(this.db.provider, 'SELECT "platform", "address" FROM "GroupChannel" WHERE "groupId" = ? ORDER BY "platform"'), [groupId]);
    return rows.map((r) => ({ platform: r.platform as Channel, address: readJson(this.db.provider, r.address) }));
  }

  async isMember(groupId: string, userId: string): Promise<boolean> {
    return (await this.db.client.groupMember.count({ where: { groupId, userId } })) > 0;
  }

  async setAvailability(userId: string, available: boolean): Promise<number> {
    const { count } = await this.db.client.groupMember.updateMany({ where: { userId }, data: { available } });
    return count;
  }

  async availableAgents(groupId: string): Promise<number> {
    const [row] = await this.db.direct.all(
      portable(this.db.provider, 'SELECT COUNT(*) AS "n" FROM "GroupMember" m JOIN "User" u ON u."id" = m."userId" WHERE m."groupId" = ? AND m."available" = ? AND u."erasedAt" IS NULL'),
      [groupId, true],
    );
    return Number(row?.n ?? 0);
  }

  async findStaff(nameOrEmail: string): Promise<PersonRef | undefined> {
    const value = nameOrEmail.trim();
    const row = await this.db.client.user.findFirst({
      where: { role: { in: ['agent', 'admin'] }, erasedAt: null, OR: [{ email: value.toLowerCase() }, { email: value }, { displayName: value }] },
      select: { id: true, displayName: true },
    });
    return row ?? undefined;
  }

  async threadKeyOfConversation(conversationId: string): Promise<string | undefined> {
    const row = await this.db.client.conversation.findUnique({ where: { id: conversationId }, select: { channel: true, tenantId: true, externalId: true } });
    return row ? conversationKey(row.channel, row.tenantId, row.externalId) : undefined;
  }
}
