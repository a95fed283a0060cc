/**
 * Major incidents through the bot core on a real database with the shipped configuration, CMDB and
 * guides: an outage question with no incident and with one (per the person's services and site); an
 * agent declaring in chat reaches exactly the affected people; a person in the VPN guide is told at
 * once and joins without a ticket; an unrelated open ticket is left alone; at resolution the linked
 * requester is asked to confirm and the others whether it works; an old button of a closed ticket
 * answers "already closed" and changes nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGuichet, type Guichet } from '../../src/app/guichet.ts';
import type { TurnResult } from '../../src/core/handle-turn.ts';
import { renderPlainText } from '../../src/core/render-text.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { FakeClock } from '../helpers/fake-channel.ts';
import { RecordingNotifier } from '../helpers/recording-notifier.ts';

const clock = new FakeClock(new Date('2026-11-23T09:00:00Z'));
const notifier = new RecordingNotifier();
let testDb: TestDatabase;
let guichet: Guichet;
let sequence = 0;

const people = {
  alice: 'alice.martin@example.org',
  chloe: 'chloe.bernard@example.org',
  david: 'david.nguyen@example.org',
  emma: 'emma.lefebvre@example.org',
  farid: 'farid.mansouri@example.org',
  gaelle: 'gaelle.robin@example.org',
  henri: 'henri.blanc@example.org',
  ines: 'ines.carpentier@example.org',
  bruno: 'bruno.petit@example.org',
} as const;
type Who = keyof typeof people;

function say(who: Who, text: string): Promise<TurnResult> {
  return guichet.turn({
    channel: 'web', deliveryId: `d-${++sequence}`, user: { externalId: `u-${who}`, displayName: who, email: people[who], locale: who === 'bruno' ? 'en' : 'fr-FR' },
    conversation: { externalId: `c-${who}`, kind: 'personal', reference: { externalId: `c-${who}` } }, text,
  });
}
const plain = (r: TurnResult) => r.replies.map(renderPlainText).join('\n');
const idOf = async (who: Who) => (await testDb.db.client.user.findFirstOrThrow({ where: { email: people[who] } })).id;
const ticketsOf = async (who: Who) => testDb.db.client.ticket.findMany({ where: { requesterId: await idOf(who) }, orderBy: { number: 'asc' } });

beforeAll(async () => {
  testDb = await createTestDatabase();
  guichet = await createGuichet({
    databaseUrl: testDb.url, defaultLang: 'fr', configDir: 'config', dialogsDir: 'dialogs', clock, notifier,
    onError: (err, context) => { throw new Error(`${context}: ${String(err)}`); },
  });
  // Everyone has talked to Guichet once (their accounts exist; nobody is in a guide yet).
  for (const who of Object.keys(people) as Who[]) await say(who, 'bonjour');
}, 90_000);

afterAll(async () => {
  await guichet?.close();
  await testDb?.cleanup();
});

describe('major incidents in chat', () => {
  let incident = 0;
  let alicesTicket = 0;
  let davidsTicket = 0;

  it('an outage question with no incident: none known, what does not work?', async () => {
    const reply = await say('alice', 'est-ce qu’il y a une panne en ce moment ?');
    expect(reply.decision?.route).toBe('outage');
    expect(plain(reply)).toBe('Aucune panne générale n’est déclarée en ce moment. Qu’est-ce qui ne marche pas chez vous ?');
  });

  it('declared by an agent: exactly the people the CMDB says are affected are told; the VPN guide user is offered to join', async () => {
    // Alice's and David's tickets, opened the usual way before the outage is known.
    const made = await guichet.desk!.create({ type: 'incident', title: 'Le VPN ne se connecte plus', description: 'Erreur de passerelle', category: 'vpn', serviceId: 'vpn', impact: 3, urgency: 2, requesterId: await idOf('alice'), origin: 'test:alice', createdBy: { id: null, kind: 'bot' } });
    alicesTicket = made.ticket.number;
    davidsTicket = (await guichet.desk!.create({ type: 'incident', title: 'Imprimante bloquée au 2e', description: 'Bourrage papier', category: 'printing', serviceId: 'printing', impact: 3, urgency: 3, requesterId: await idOf('david'), origin: 'test:david', createdBy: { id: null, kind: 'bot' } })).ticket.number;
    const inGuide = await say('ines', 'le vpn ne marche pas depuis chez moi');
    expect(inGuide.decision?.flow).toBe('vpn');
    notifier.clear();
    clock.advance(5 * 60_000);
    const declared = await say('bruno', 'incident majeur vpn : VPN gateway down');
    expect(plain(declared)).toMatch(/^Incident majeur #1 déclaré : 7 personne\(s\) prévenue\(s\), 1 ticket\(s\) rattaché\(s\)\./);
    incident = 1;
    const told = new Set(notifier.sent.map((s) => s.userId));
    for (const who of ['alice', 'chloe', 'david', 'emma', 'farid', 'gaelle', 'ines'] as const) expect(told.has(await idOf(who))).toBe(true);
    expect(told.has(await idOf('henri'))).toBe(false);
    expect(told.size).toBe(7);
    expect(notifier.textsFor(await idOf('chloe'))).toEqual(['⚠️ Accès à distance (VPN) : VPN gateway down. Nous sommes dessus, inutile d’ouvrir un ticket ; je vous préviens dès que c’est rétabli.']);
    const inesId = await idOf('ines');
    const toInes = notifier.sent.filter((s) => s.userId === inesId);
    expect(toInes).toHaveLength(1);
    expect(toInes[0]!.messages[0]).toMatchObject({ type: 'choices', choices: [{ label: 'M’ajouter à l’incident', value: 'rejoindre incident 1' }] });
    expect(notifier.sent.filter((s) => s.messages[0]?.type === 'choices')).toHaveLength(1);
    expect((await testDb.db.client.ticket.findUniqueOrThrow({ where: { number: alicesTicket } })).majorIncidentId).not.toBeNull();
  });

  it('the person in the guide joins without a ticket; the guide ends', async () => {
    const joined = await say('ines', 'rejoindre incident 1');
    expect(plain(joined)).toContain('C’est noté : vous êtes ajouté à l’incident majeur #1 (VPN gateway down), sans ticket.');
    expect(await ticketsOf('ines')).toEqual([]);
    const state = (await testDb.db.client.conversation.findFirstOrThrow({ where: { userId: await idOf('ines') } })).state as { flow?: unknown };
    expect(state.flow).toBeUndefined();
  });

  it('someone who starts the VPN guide during the outage and says « oui, c’est ça » follows it without a ticket', async () => {
    const started = await say('gaelle', 'mon vpn ne se connecte plus');
    expect(started.decision?.flow).toBe('vpn');
    const asked = started.replies.at(-1);
    expect(asked?.type === 'choices' && renderPlainText(asked)).toContain('VPN gateway down');
    const yes = await say('gaelle', 'oui');
    expect(plain(yes)).toContain('vous suivez l’incident majeur #1, sans ticket');
    expect(await ticketsOf('gaelle')).toEqual([]);
    const incidentRow = await testDb.db.client.majorIncident.findFirstOrThrow({ where: { number: 1 } });
    expect(await testDb.db.client.majorIncidentFollower.count({ where: { majorIncidentId: incidentRow.id, userId: await idOf('gaelle') } })).toBe(1);
  });

  it('an outage question with the incident: it affects Farid in Lyon; Henri hears of it as elsewhere', async () => {
    const farid = await say('farid', 'le vpn est en panne ?');
    expect(farid.decision?.route).toBe('outage');
    expect(plain(farid)).toMatch(/^Oui, incident en cours qui vous concerne :\n• Accès à distance \(VPN\) : VPN gateway down \(depuis .+ ; dernière nouvelle : pas encore de mise à jour\)\nInutile d’ouvrir un ticket/);
    const henri = await say('henri', 'is email down for everyone?');
    expect(henri.decision?.route).toBe('outage');
    expect(plain(henri)).toBe('Nothing known on your services (Lyon). Elsewhere: Remote access (VPN) (VPN gateway down). What isn’t working for you?');
  });

  it('at resolution the linked requester confirms her ticket, the others are asked whether it works; the unrelated ticket is untouched', async () => {
    notifier.clear();
    clock.advance(10 * 60_000);
    const resolved = await say('bruno', `résoudre incident ${incident} : passerelle redémarrée`);
    expect(plain(resolved)).toContain('Incident majeur #1 résolu');
    expect((await testDb.db.client.ticket.findUniqueOrThrow({ where: { number: alicesTicket } })).status).toBe('resolved');
    const david = await testDb.db.client.ticket.findUniqueOrThrow({ where: { number: davidsTicket } });
    expect([david.status, david.majorIncidentId]).toEqual(['new', null]);
    const aliceId = await idOf('alice');
    const alices = notifier.sent.filter((s) => s.userId === aliceId);
    expect(alices).toHaveLength(1);
    expect(alices[0]!.messages.at(-1)).toMatchObject({ type: 'choices', choices: [{ value: `#${alicesTicket} réglé` }, { value: `#${alicesTicket} pas réglé` }] });
    await guichet.incidents!.notices.flushDue();
    const inesId = await idOf('ines');
    const toInes = notifier.sent.filter((s) => s.userId === inesId);
    expect(toInes).toHaveLength(1);
    expect(toInes[0]!.messages).toEqual([
      { type: 'choices', text: '✅ Accès à distance (VPN) est rétabli : passerelle redémarrée. Est-ce que ça marche pour vous ?', choices: [{ label: 'Oui, ça marche', value: 'incident 1 ça marche' }, { label: 'Non, toujours pas', value: 'incident 1 toujours en panne' }] },
    ]);
    expect(plain(await say('ines', 'incident 1 ça marche'))).toBe('Parfait, merci de me l’avoir confirmé.');
  });

  it('an old "is it fixed?" button of a closed ticket answers "already closed" and changes nothing', async () => {
    expect(plain(await say('alice', `#${alicesTicket} réglé`))).toContain(`#${alicesTicket}`);
    const closed = await testDb.db.client.ticket.findUniqueOrThrow({ where: { number: alicesTicket } });
    expect(closed.status).toBe('closed');
    const again = await say('alice', `#${alicesTicket} pas réglé`);
    expect(plain(again)).toBe(`Le ticket #${alicesTicket} est déjà clos : rien n’a changé. Si le problème revient, dites-moi ce qui se passe.`);
    expect((await testDb.db.client.ticket.findUniqueOrThrow({ where: { number: alicesTicket } })).status).toBe('closed');
  });
});
