/** The GLPI client against the fake GLPI: the exact requests (headers, bodies), session renewal, errors. */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { GlpiClient, GlpiRefused, isTransient } from '../../../src/connectors/glpi/client.ts';
import { FakeGlpi } from '../../helpers/fake-glpi.ts';

const glpi = new FakeGlpi();
let client: GlpiClient;

beforeAll(async () => {
  await glpi.start();
});
afterAll(() => glpi.stop());
afterEach(() => {
  glpi.down = false;
  glpi.delayMs = 0;
  glpi.clearRefusals();
});

const fresh = () => new GlpiClient({ url: glpi.url, appToken: 'app-token-1', userToken: 'user-token-1', timeoutMs: 1_000 });

describe('the GLPI client', () => {
  it('opens a session with the App-Token and the user token, then sends the Session-Token and JSON `{"input": …}`', async () => {
    client = fresh();
    const before = glpi.requests.length;
    const id = await client.add('Ticket', { name: 'Écran', content: '<p>x</p>' });
    const [init, add] = glpi.requests.slice(before);
    expect(init).toMatchObject({ method: 'GET', path: 'initSession', headers: { appToken: 'app-token-1', authorization: 'user_token user-token-1', contentType: 'application/json' } });
    expect(add).toMatchObject({ method: 'POST', path: 'Ticket', headers: { appToken: 'app-token-1', sessionToken: expect.stringMatching(/^session-/) }, body: { input: { name: 'Écran', content: '<p>x</p>' } } });
    expect(glpi.all('Ticket').find((t) => t.id === id)).toMatchObject({ name: 'Écran' });
  });

  it('renews an expired session once and repeats the call', async () => {
    client = fresh();
    await client.getItems('Ticket', z.object({ id: z.number() }).passthrough());
    glpi.expireSessions();
    const before = glpi.requests.length;
    await client.update('Ticket', 1, { status: 2 });
    expect(glpi.requests.slice(before).map((r) => `${r.method} ${r.path}`)).toEqual(['PUT Ticket/1', 'GET initSession', 'PUT Ticket/1']);
    expect(glpi.requests.at(-1)!.body).toEqual({ input: { id: 1, status: 2 } });
  });

  it("turns GLPI's error bodies into GlpiRefused with GLPI's code; a missing item is undefined", async () => {
    client = fresh();
    glpi.refuse('POST Ticket', 401, 'ERROR_RIGHT_MISSING', "You don't have permission to perform this action.", 1);
    const err = await client.add('Ticket', { name: 'x' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GlpiRefused);
    expect(err).toMatchObject({ code: 'connectors.glpi-refused', glpiCode: 'ERROR_RIGHT_MISSING', status: 401 });
    expect(isTransient(err)).toBe(false);
    expect(await client.getItem('Ticket', 999, z.object({ id: z.number() }))).toBeUndefined();
  });

  it('reports an unreachable GLPI as connectors.glpi-unreachable (transient)', async () => {
    client = fresh();
    glpi.down = true;
    const err = await client.add('Ticket', { name: 'x' }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'connectors.glpi-unreachable' });
    expect(isTransient(err)).toBe(true);
  });

  it('gives up on a slow GLPI after its time limit (transient: the outbox retries)', async () => {
    client = new GlpiClient({ url: glpi.url, appToken: 'app-token-1', userToken: 'user-token-1', timeoutMs: 150 });
    glpi.delayMs = 400;
    const err = await client.getItems('Ticket', z.object({ id: z.number() }).passthrough()).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'connectors.glpi-unreachable', message: expect.stringContaining('did not answer GET initSession') });
    expect(isTransient(err)).toBe(true);
  });

  it('closes its session with killSession', async () => {
    client = fresh();
    await client.getItems('Ticket', z.object({ id: z.number() }).passthrough());
    const token = glpi.requests.at(-1)!.headers.sessionToken;
    await client.close();
    expect(glpi.requests.at(-1)).toMatchObject({ method: 'GET', path: 'killSession', headers: { sessionToken: token } });
  });

  it('sends search criteria as GLPI documents them', async () => {
    client = fresh();
    glpi.seed('User', { name: 'amartin', email: 'alice@example.org' });
    const rows = await client.search('User', { 'criteria[0][field]': 5, 'criteria[0][searchtype]': 'equals', 'criteria[0][value]': 'alice@example.org', 'forcedisplay[0]': 2 });
    expect(glpi.requests.at(-1)).toMatchObject({ method: 'GET', path: 'search/User', query: { 'criteria[0][field]': '5', 'criteria[0][searchtype]': 'equals', 'criteria[0][value]': 'alice@example.org' } });
    expect(rows).toHaveLength(1);
  });
});
