/**
 * ConversationStore on Prisma, and on direct statements (../direct-sql.ts) for what every turn runs:
 * the replay check, opening the conversation, committing the turn. A turn is one transaction: the processed
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
  PlatformIdentity,
  StoredConversation,
  TranscriptEntry,
  TurnCommit,
  TurnOpening,
  FirstContact,
} from '../../core/ports.ts';
import { parseState } from '../../core/state.ts';
import { isUniqueViolation, type Database } from '../database.ts';
import type { Row } from '../direct-sql.ts';
import { DbNull, toJson } from './json.ts';
import { NO_FLUSH_WAIT, jsonText, portable, readJson, rowId } from './raw-sql.ts';
import { newUserWrites, toRecord as toUserRecord } from './users.ts';

class VersionConflict extends Error {}

/**
 * PostgreSQL: a first contact's user, identity (users.ts newUserWrites: CTEs `u`, `i`) and conversation (`c`) as
 * CTEs written only when the turn's read `o` found no processed delivery, no user and no conversation.
 */
function firstContactWrites(identity: PlatformIdentity, key: ConversationKey, first: FirstContact): { ctes: string; args: unknown[]; written: NonNullable<TurnOpening['written']> } {
  const nothingFound = `NOT EXISTS (SELECT 1 FROM o WHERE o."replies" IS NOT NULL OR o."uId" IS NOT NULL OR o."cId" IS NOT NULL)`;
  const user = newUserWrites(identity, first.profile, undefined, nothingFound);
  const id = rowId();
  const now = new Date();
  const userId = first.kind === 'personal' ? user.user.id : null;
  return {
    ctes: `${user.ctes},
      c AS (INSERT INTO "Conversation" ("id", "channel", "tenantId", "externalId", "kind", "userId", "state", "version", "reference", "lastActivityAt", "createdAt", "updatedAt")
        SELECT ?, ?, ?, ?, ?, ${userId === null ? 'NULL' : 'u."id"'}, ?j, 0, ?j, ?t, ?t, ?t FROM u)`,
    args: [...user.args, id, key.channel, key.tenantId, key.externalId, first.kind, '{}', first.reference === undefined ? null : jsonText(first.reference), now, now, now],
    written: { user: { ...toUserRecord(user.user), created: true }, conversation: { id, userId, state: parseState({}), version: 0, created: true } },
  };
}

/** A conversation row as a direct statement reads it. */
const toStored = (provider: Database['provider'], row: Row): StoredConversation => ({
  id: String(row.id),
  userId: (row.userId as string | null | undefined) ?? null,
  state: readJson(provider, row.state),
  version: Number(row.version),
  reference: readJson(provider, row.reference),
});

const MESSAGE_COLUMNS = `"Message" ("id", "conversationId", "userId", "direction", "author", "kind", "text", "payload", "deliveryId", "createdAt")`;

/**
 * A turn's transcript lines as the VALUES rows of one INSERT, and their arguments. One timestamp per
 * line, a millisecond apart, so the transcript keeps its order when sorted by time.
 */
function transcriptRows(commit: TurnCommit): { rows: string; args: unknown[] } {
  const args = commit.transcript.flatMap((line, i) => [
    rowId(), commit.conversationId, commit.userId, line.direction, line.author, line.kind, line.text,
    line.payload === undefined ? null : jsonText(line.payload), commit.delivery.deliveryId, new Date(commit.at.getTime() + i),
  ]);
  return { rows: commit.transcript.map(() => '(?, ?, ?, ?, ?, ?, ?, ?j, ?, ?t)').join(', '), args };
}

export class PrismaConversationStore implements ConversationStore {
  constructor(private readonly db: Database) {}

  /**
   * One statement: the delivery's replies, the identity's user and the conversation (one row, LEFT JOINs).
   * With `firstContact`, on PostgreSQL and with no e-mail to recognise a known person by (an anonymous web
   * visitor): when none of the three is there, the same statement writes the user, their identity and the
   * conversation (data-modifying CTEs, atomic; users.ts newUserWrites), as `identify` then `open` would, one
   * round trip instead of three. Another delivery's first contact writing them at the same moment fails it
   * whole: read again, the caller goes the usual way.
   */
  async openTurn(delivery: { channel: Channel; deliveryId: string }, identity: PlatformIdentity, key: ConversationKey, firstContact?: FirstContact): Promise<TurnOpening> {
    const { direct, provider } = this.db;
    const read = `SELECT d."replies", u."id" AS "uId", u."displayName", u."role", u."locale", u."email", u."timeZone",
           c."id" AS "cId", c."userId" AS "cUserId", c."state", c."version", c."reference"
         FROM (SELECT 1 AS "one") x
           LEFT JOIN "ProcessedDelivery" d ON d."channel" = ? AND d."deliveryId" = ?
           LEFT JOIN "Identity" i ON i."platform" = ? AND i."tenantId" = ? AND i."externalId" = ?
           LEFT JOIN "User" u ON u."id" = i."userId"
           LEFT JOIN "Conversation" c ON c."channel" = ? AND c."tenantId" = ? AND c."externalId" = ?`;
    const readArgs = [delivery.channel, delivery.deliveryId, identity.platform, identity.tenantId, identity.externalId, key.channel, key.tenantId, key.externalId];
    const writes = firstContact && provider === 'postgres' && !firstContact.profile.email?.trim() ? firstContactWrites(identity, key, firstContact) : undefined;
    let row: Row | undefined;
    try {
      [row] = writes
        ? await direct.all(portable(provider, `WITH o AS (${read}), ${writes.ctes} SELECT o.*, (SELECT "id" FROM u) AS "written" FROM o`), [...readArgs, ...writes.args])
        : await direct.all(portable(provider, read), readArgs);
    } catch (err) {
      if (!writes || !isUniqueViolation(err)) throw err;
      return this.openTurn(delivery, identity, key);
    }
    const r = row ?? {};
    const text = (v: unknown) => (v === null || v === undefined ? null : String(v));
    return {
      replies: r.replies === null || r.replies === undefined ? null : (readJson(provider, r.replies) as OutboundMessage[]),
      user: r.uId === null || r.uId === undefined ? null : { id: String(r.uId), displayName: String(r.displayName), role: String(r.role), locale: text(r.locale), email: text(r.email), timeZone: text(r.timeZone) },
      conversation: r.cId === null || r.cId === undefined ? null : toStored(provider, { ...r, id: r.cId, userId: r.cUserId }),
      ...(writes && r.written !== null && r.written !== undefined ? { written: writes.written } : {}),
    };
  }

  async open(key: ConversationKey, userId: string | null, reference: unknown, kind: ConversationKind = 'personal', known?: StoredConversation | null): Promise<ConversationRecord> {
    const { direct, provider } = this.db;
    const find = async (): Promise<StoredConversation | undefined> => {
      const [found] = await direct.all(portable(provider, 'SELECT "id", "userId", "state", "version", "reference" FROM "Conversation" WHERE "channel" = ? AND "tenantId" = ? AND "externalId" = ?'), [key.channel, key.tenantId, key.externalId]);
      return found ? toStored(provider, found) : undefined;
    };
    let row = known === undefined ? await find() : (known ?? undefined);
    let created = false;
    if (row && reference !== undefined && JSON.stringify(row.reference) !== JSON.stringify(reference)) {
      await direct.run(portable(provider, 'UPDATE "Conversation" SET "reference" = ?j, "updatedAt" = ?t WHERE "id" = ?'), [jsonText(reference), new Date(), row.id]);
    }
    if (!row) {
      const now = new Date();
      const id = rowId();
      try {
        // On PostgreSQL without waiting for the WAL flush (raw-sql.ts NO_FLUSH_WAIT): the turn's own commit follows and makes it durable.
        const values = `?, ?, ?, ?, ?, ?, ?j, 0, ?j, ?t, ?t, ?t`;
        await direct.run(
          portable(
            provider,
            `INSERT INTO "Conversation" ("id", "channel", "tenantId", "externalId", "kind", "userId", "state", "version", "reference", "lastActivityAt", "createdAt", "updatedAt") ${provider === 'postgres' ? `SELECT ${values} FROM ${NO_FLUSH_WAIT} s` : `VALUES (${values})`}`,
          ),
          [id, key.channel, key.tenantId, key.externalId, kind, userId, '{}', reference === undefined ? null : jsonText(reference), now, now, now],
        );
        row = { id, userId, state: {}, version: 0, reference: reference ?? null };
        created = true;
      } catch (err) {
        if (!isUniqueViolation(err)) throw err;
        row = await find();
        if (!row) throw err;
      }
    }
    return { id: row.id, userId: row.userId, state: parseState(row.state), version: row.version, ...(created ? { created } : {}) };
  }

  /**
   * The delivery, the guarded state update and the transcript lines: one transaction of three direct
   * statements (a turn's hottest write; through Prisma it cost an interactive transaction of five).
   */
  async commitTurn(commit: TurnCommit): Promise<CommitOutcome> {
    const { direct, provider } = this.db;
    if (provider === 'postgres') return this.commitTurnPostgres(commit);
    try {
      await direct.transaction(async (tx) => {
        await tx.run(portable(provider, 'INSERT INTO "ProcessedDelivery" ("id", "channel", "deliveryId", "replies", "createdAt") VALUES (?, ?, ?, ?j, ?t)'), [
          rowId(),
          commit.delivery.channel,
          commit.delivery.deliveryId,
          jsonText(commit.delivery.replies),
          commit.at,
        ]);
        const updated = await tx.run(
          portable(provider, 'UPDATE "Conversation" SET "state" = ?j, "version" = "version" + 1, "lastActivityAt" = ?t, "updatedAt" = ?t WHERE "id" = ? AND "version" = ?'),
          [jsonText(commit.state), commit.at, new Date(), commit.conversationId, commit.expectedVersion],
        );
        if (updated !== 1) throw new VersionConflict();
        if (commit.transcript.length === 0) return;
        const lines = transcriptRows(commit);
        await tx.run(portable(provider, `INSERT INTO ${MESSAGE_COLUMNS} VALUES ${lines.rows}`), lines.args);
      });
      return 'committed';
    } catch (err) {
      if (err instanceof VersionConflict) return 'conflict';
      if (isUniqueViolation(err)) return 'duplicate';
      throw err;
    }
  }

  /**
   * PostgreSQL: the same three writes as one statement (data-modifying CTEs, atomic), one round trip instead
   * of five. The delivery and the lines are written only when the guarded update matched; a delivery already
   * processed fails the whole statement (unique violation: "duplicate").
   */
  private async commitTurnPostgres(commit: TurnCommit): Promise<CommitOutcome> {
    const lines = transcriptRows(commit);
    const args: unknown[] = [jsonText(commit.state), commit.at, new Date(), commit.conversationId, commit.expectedVersion];
    args.push(rowId(), commit.delivery.channel, commit.delivery.deliveryId, jsonText(commit.delivery.replies), commit.at, ...lines.args);
    const messages = commit.transcript.length === 0 ? '' : `, m AS (INSERT INTO ${MESSAGE_COLUMNS} SELECT v.* FROM (VALUES ${lines.rows}) v WHERE EXISTS (SELECT 1 FROM c))`;
    try {
      const [row] = await this.db.direct.all(
        portable(
          'postgres',
          `WITH c AS (UPDATE "Conversation" SET "state" = ?j, "version" = "version" + 1, "lastActivityAt" = ?t, "updatedAt" = ?t WHERE "id" = ? AND "version" = ? RETURNING "id"),
             d AS (INSERT INTO "ProcessedDelivery" ("id", "channel", "deliveryId", "replies", "createdAt") SELECT ?, ?, ?, ?j, ?t FROM c)${messages}
           SELECT COUNT(*) AS "n" FROM c`,
        ),
        args,
      );
      return Number(row?.n ?? 0) === 1 ? 'committed' : 'conflict';
    } catch (err) {
      if (isUniqueViolation(err)) return 'duplicate';
      throw err;
    }
  }

  async repliesFor(channel: Channel, deliveryId: string): Promise<OutboundMessage[] | null> {
    const { direct, provider } = this.db;
    const [row] = await direct.all(portable(provider, 'SELECT "replies" FROM "ProcessedDelivery" WHERE "channel" = ? AND "deliveryId" = ?'), [channel, deliveryId]);
    return row ? (readJson(provider, row.replies) as OutboundMessage[]) : null;
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
