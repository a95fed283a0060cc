/**
 * ConversationStore on Prisma. A turn is one transaction: the processed
 * delivery (unique per channel + delivery id), the state update guarded by the
 * conversation's version, and the transcript lines. Either all are written or
 * none: a retried delivery finds the first one's replies, a concurrent turn on
 * the same conversation gets "conflict" and is replayed by the core.
 */
import { renderPlainText } from '../../core/render-text.ts';
import type { Channel, OutboundMessage } from '../../core/messages.ts';
import type {
  CommitOutcome,
  ConversationKey,
  ConversationKind,
  ConversationRecord,
  ConversationStore,
  TranscriptEntry,
  TurnCommit,
} from '../../core/ports.ts';
import { parseState } from '../../core/state.ts';
import { isUniqueViolation, type Database } from '../database.ts';
import { DbNull, toJson } from './json.ts';

class VersionConflict extends Error {}

export class PrismaConversationStore implements ConversationStore {
  constructor(private readonly db: Database) {}

  async open(key: ConversationKey, userId: string | null, reference: unknown, kind: ConversationKind = 'personal'): Promise<ConversationRecord> {
    const where = { channel_tenantId_externalId: { channel: key.channel, tenantId: key.tenantId, externalId: key.externalId } };
    const refData = reference === undefined ? {} : { reference: toJson(reference) };
    let row = await this.db.client.conversation.findUnique({ where });
    if (row && reference !== undefined && JSON.stringify(row.reference) !== JSON.stringify(reference)) {
      row = await this.db.client.conversation.update({ where: { id: row.id }, data: refData });
    }
    if (!row) {
      try {
        row = await this.db.client.conversation.create({
          data: { channel: key.channel, tenantId: key.tenantId, externalId: key.externalId, kind, userId, state: {}, ...refData },
        });
      } catch (err) {
        if (!isUniqueViolation(err)) throw err;
        row = await this.db.client.conversation.findUniqueOrThrow({ where });
      }
    }
    return { id: row.id, userId: row.userId, state: parseState(row.state), version: row.version };
  }

  async commitTurn(commit: TurnCommit): Promise<CommitOutcome> {
    try {
      await this.db.client.$transaction(async (tx) => {
        await tx.processedDelivery.create({
          data: { channel: commit.delivery.channel, deliveryId: commit.delivery.deliveryId, replies: toJson(commit.delivery.replies), createdAt: commit.at },
        });
        const updated = await tx.conversation.updateMany({
          where: { id: commit.conversationId, version: commit.expectedVersion },
          data: { state: toJson(commit.state), version: { increment: 1 }, lastActivityAt: commit.at },
        });
        if (updated.count !== 1) throw new VersionConflict();
        // One timestamp per line, a millisecond apart, so the transcript keeps its order when sorted by time.
        await tx.message.createMany({
          data: commit.transcript.map((line, i) => ({
            conversationId: commit.conversationId,
            userId: commit.userId,
            direction: line.direction,
            author: line.author,
            kind: line.kind,
            text: line.text,
            payload: line.payload === undefined ? undefined : toJson(line.payload),
            deliveryId: commit.delivery.deliveryId,
            createdAt: new Date(commit.at.getTime() + i),
          })),
        });
      });
      return 'committed';
    } catch (err) {
      if (err instanceof VersionConflict) return 'conflict';
      if (isUniqueViolation(err)) return 'duplicate';
      throw err;
    }
  }

  async repliesFor(channel: Channel, deliveryId: string): Promise<OutboundMessage[] | null> {
    const row = await this.db.client.processedDelivery.findUnique({ where: { channel_deliveryId: { channel, deliveryId } } });
    return row ? (row.replies as unknown as OutboundMessage[]) : null;
  }

  async reachableAt(userId: string): Promise<{ channel: Channel; reference: unknown }[]> {
    const rows = await this.db.client.conversation.findMany({
      where: { userId, kind: 'personal', NOT: { reference: { equals: DbNull } } },
      orderBy: { lastActivityAt: 'desc' },
      select: { channel: true, reference: true },
    });
    const seen = new Set<string>();
    return rows.flatMap((row) => {
      if (seen.has(row.channel) || row.reference === null) return [];
      seen.add(row.channel);
      return [{ channel: row.channel as Channel, reference: row.reference }];
    });
  }

  async appendProactive(key: ConversationKey, messages: OutboundMessage[], at: Date): Promise<boolean> {
    const conversation = await this.db.client.conversation.findUnique({
      where: { channel_tenantId_externalId: { channel: key.channel, tenantId: key.tenantId, externalId: key.externalId } },
      select: { id: true },
    });
    if (!conversation) return false;
    await this.db.client.message.createMany({
      // One millisecond apart, so that they keep their order in the transcript.
      data: messages.map((m, i) => ({ conversationId: conversation.id, direction: 'out', author: 'bot', kind: 'proactive', text: renderPlainText(m), payload: toJson(m), createdAt: new Date(at.getTime() + i) })),
    });
    return true;
  }

  async transcript(key: ConversationKey, limit: number): Promise<TranscriptEntry[]> {
    const conversation = await this.db.client.conversation.findUnique({
      where: { channel_tenantId_externalId: { channel: key.channel, tenantId: key.tenantId, externalId: key.externalId } },
      select: { id: true },
    });
    if (!conversation) return [];
    const rows = await this.db.client.message.findMany({
      where: { conversationId: conversation.id },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      take: limit,
    });
    return rows.reverse().map((row) => ({
      direction: row.direction === 'in' ? 'in' : 'out',
      author: row.author === 'agent' ? 'agent' : row.author === 'user' ? 'user' : 'bot',
      kind: row.kind,
      text: row.text,
      payload: row.payload ?? undefined,
      at: row.createdAt,
    }));
  }
}
