/**
 * The server the journeys through Teams and the web chat run against: a real Guichet on a fresh
 * database, with the service desk's agents' channel on the fake Bot Connector and Bruno, one of its
 * agents, known to Teams (he said something in his personal chat) and made an agent of the group.
 */
import { expect } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import type { StartOptions } from '../../src/app/server.ts';
import { start, type Running } from '../../src/main.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { FakeBotConnector } from '../helpers/fake-bot-connector.ts';
import { personalActivity, postActivity, TEAMS_TENANT, teamsPerson } from '../helpers/teams-activity.ts';

export const AGENTS_CHANNEL = '19:service-desk@thread.tacv2';
export const bruno = teamsPerson('Bruno Petit', 'fr-FR');

export interface TeamsAgentDesk {
  running: Running;
  testDb: TestDatabase;
  fake: FakeBotConnector;
  /** POSTs a Teams activity to /api/messages and expects it accepted. */
  post(activity: unknown): Promise<void>;
  stop(): Promise<void>;
}

/** Starts Guichet with `channels` ("teams", "web,teams") and Bruno as an agent of the service desk; silent unless `log` says where lines go. */
export async function startWithTeamsAgent(channels: string, log?: { level: string; destination: NonNullable<StartOptions['logDestination']> }): Promise<TeamsAgentDesk> {
  const testDb = await createTestDatabase();
  const fake = await FakeBotConnector.start();
  const running = await start(
    loadConfig({ DATABASE_URL: testDb.url, PORT: '0', LOG_LEVEL: log?.level ?? 'silent', CHANNELS: channels, TEAMS_TENANT_IDS: TEAMS_TENANT, SLA_TICK_SECONDS: '0' }),
    log ? { logDestination: log.destination } : {},
  );
  const post = async (activity: unknown) => {
    expect((await postActivity(running.url, activity)).status).toBe(200);
  };
  await testDb.db.client.groupChannel.create({ data: { groupId: 'service-desk', platform: 'teams', address: { serviceUrl: fake.url, tenantId: TEAMS_TENANT, channelId: AGENTS_CHANNEL } } });
  await post(personalActivity(fake.url, bruno, { text: 'disponible' }));
  const identity = await testDb.db.client.identity.findFirstOrThrow({ where: { platform: 'teams', externalId: `aad-${bruno.key}` } });
  await testDb.db.client.user.update({ where: { id: identity.userId }, data: { role: 'agent', locale: 'fr' } });
  await testDb.db.client.groupMember.create({ data: { groupId: 'service-desk', userId: identity.userId } });
  return {
    running,
    testDb,
    fake,
    post,
    stop: async () => {
      await running.stop();
      await fake.stop();
      await testDb.cleanup();
    },
  };
}
