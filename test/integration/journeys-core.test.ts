/**
 * The journeys of test/journeys/ played through the real core on a real database: relay both ways
 * whatever the words, pending questions, commands while waiting for an agent, escalation with a
 * deadline, two problems in one message, a new request leaving a pending question.
 */
import { afterAll, beforeAll, describe, it } from 'vitest';
import { openWorld, play, type World } from '../journeys/harness.ts';
import { escalationJourneys } from '../journeys/escalation.ts';
import { pendingJourneys } from '../journeys/pending.ts';
import { relayJourneys } from '../journeys/relay.ts';
import { routingJourneys } from '../journeys/routing.ts';
import { waitingJourneys } from '../journeys/waiting.ts';

let world: World;
beforeAll(async () => {
  world = await openWorld();
}, 60_000);
afterAll(async () => {
  await world?.close();
});

const groups = { relay: relayJourneys, waiting: waitingJourneys, pending: pendingJourneys, escalation: escalationJourneys, routing: routingJourneys };
let index = 0;
for (const [group, journeys] of Object.entries(groups)) {
  describe(group, () => {
    for (const journey of journeys) {
      const mine = ++index;
      it(journey.name, () => play(world, journey, mine), 30_000);
    }
  });
}
