/** A password typed to Guichet in Teams (real botbuilder adapter, fake Bot Connector): masked in the database, the user warned. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SECRET_MASK } from '../../src/core/secrets.ts';
import { rowsContaining } from '../helpers/every-row.ts';
import { personalActivity, teamsPerson } from '../helpers/teams-activity.ts';
import { startWithTeamsAgent, type TeamsAgentDesk } from '../journeys/teams-agent-desk.ts';

let desk: TeamsAgentDesk;
const lea = teamsPerson('Léa Girard', 'fr-FR');

beforeAll(async () => {
  desk = await startWithTeamsAgent('teams');
}, 120_000);

afterAll(async () => {
  await desk?.stop();
});

describe('a secret typed in Teams', () => {
  it('is masked before it is stored, and the user is told', async () => {
    desk.fake.reset();
    await desk.post(personalActivity(desk.fake.url, lea, { text: 'mon mot de passe est Printemps#2026 et Outlook le refuse' }));
    const said = JSON.stringify(desk.fake.activities());
    expect(said).toMatch(/J'ai masqué ce qui ressemblait à un mot de passe/);
    expect(said).toMatch(/compromis/);
    expect(said).not.toContain('Printemps#2026');
    const lines = await desk.testDb.db.client.message.findMany({ where: { direction: 'in', user: { displayName: 'Léa Girard' } } });
    expect(lines.map((l) => l.text)).toEqual([`mon mot de passe est ${SECRET_MASK} et Outlook le refuse`]);
    expect(await rowsContaining(desk.testDb.db, 'Printemps#2026')).toEqual({});
  });
});
