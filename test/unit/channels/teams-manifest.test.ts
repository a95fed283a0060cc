import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import JSZip from 'jszip';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  MANIFEST_DIR,
  buildTeamsPackage,
  drawColorIcon,
  drawOutlineIcon,
  fillTemplate,
  iconProblems,
  inputsFrom,
  uuidV5,
  validateLocalization,
  validateManifest,
} from '../../../scripts/manifest-teams.ts';

const BOT_ID = '6f1c2a3b-1111-4222-8333-444455556666';
const ENV = { MicrosoftAppId: BOT_ID, PUBLIC_URL: 'https://guichet.example.org/' };

let dir: string;
let template: any;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'guichet-teams-manifest-'));
  template = JSON.parse(await readFile(join(MANIFEST_DIR, 'manifest.template.json'), 'utf8'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const manifest = () => fillTemplate(template, inputsFrom(ENV, '1.2.3')) as any;

describe('Teams manifest', () => {
  it('fills the template from the environment and passes the official v1.22 schema (offline)', async () => {
    const m = manifest();
    expect(m).toMatchObject({
      manifestVersion: '1.22',
      version: '1.2.3',
      id: uuidV5(BOT_ID),
      developer: { name: 'Guichet', websiteUrl: 'https://guichet.example.org/' },
      bots: [{ botId: BOT_ID, scopes: ['personal', 'team', 'groupChat'], supportsFiles: true }],
      validDomains: ['guichet.example.org'],
      // Agents' replies under an escalation card reach Guichet without an @mention.
      webApplicationInfo: { id: BOT_ID },
      authorization: { permissions: { resourceSpecific: [{ name: 'ChannelMessage.Read.Group', type: 'Application' }] } },
    });
    expect(await validateManifest(m)).toEqual([]);
  });

  it('offers the same commands in English and, through fr.json, in French', async () => {
    const fr = JSON.parse(await readFile(join(MANIFEST_DIR, 'fr.json'), 'utf8'));
    expect(await validateLocalization(fr)).toEqual([]);
    const commands = manifest().bots[0].commandLists[0].commands as { title: string }[];
    expect(commands.map((c) => c.title)).toEqual(['help', 'my tickets', 'status', 'agent', 'cancel', 'français']);
    expect(commands.map((_, i) => fr[`bots[0].commandLists[0].commands[${i}].title`])).toEqual(['aide', 'mes tickets', 'statut', 'humain', 'annuler', 'english']);
    for (const [i] of commands.entries()) expect(fr[`bots[0].commandLists[0].commands[${i}].description`]).toEqual(expect.any(String));
  });

  it.each([
    ['a missing required field', (m: any) => delete m.developer],
    ['a bot id that is not a GUID', (m: any) => (m.bots[0].botId = 'not-a-guid')],
    ['an unknown scope', (m: any) => (m.bots[0].scopes = ['personal', 'everywhere'])],
    ['a short name over 30 characters', (m: any) => (m.name.short = 'G'.repeat(31))],
    ['an unknown property', (m: any) => (m.colour = 'blue')],
    ['more than 10 commands', (m: any) => m.bots[0].commandLists[0].commands.push(...Array.from({ length: 5 }, (_, i) => ({ title: `c${i}`, description: 'x' })))],
  ])('rejects %s', async (_name, breakIt) => {
    const m = manifest();
    breakIt(m);
    expect((await validateManifest(m)).length).toBeGreaterThan(0);
  });

  it('rejects a broken localization file', async () => {
    expect((await validateLocalization({ 'name.short': 'G'.repeat(31) })).length).toBeGreaterThan(0);
    expect((await validateLocalization({ 'bots[0].unknown': 'x' })).length).toBeGreaterThan(0);
  });

  it('names each missing or wrong variable', () => {
    expect(() => inputsFrom({ PUBLIC_URL: 'http://guichet.example.org' }, '1.0.0')).toThrow(
      /MicrosoftAppId: expected the bot's app id, a GUID \(got ""\)\n {2}PUBLIC_URL: expected an https:\/\/ URL \(got "http:\/\/guichet.example.org"\)/,
    );
    expect(() => inputsFrom({ ...ENV, TEAMS_APP_ID: 'x' }, '1.0.0')).toThrow(/TEAMS_APP_ID: expected a GUID \(got "x"\)/);
  });

  it('derives a stable Teams app id from the bot id, unless TEAMS_APP_ID is set', () => {
    expect(inputsFrom(ENV, '1').teamsAppId).toBe(inputsFrom(ENV, '2').teamsAppId);
    expect(uuidV5(BOT_ID)).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(uuidV5(BOT_ID)).not.toBe(uuidV5('6f1c2a3b-1111-4222-8333-444455556667'));
    const chosen = 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee';
    expect(inputsFrom({ ...ENV, TEAMS_APP_ID: chosen }, '1').teamsAppId).toBe(chosen);
  });

  it('commits the icons the script draws, and they follow Teams’ rules', async () => {
    const color = await readFile(join(MANIFEST_DIR, 'color.png'));
    const outline = await readFile(join(MANIFEST_DIR, 'outline.png'));
    expect(iconProblems(color, outline)).toEqual([]);
    expect(PNG.sync.read(color).data.equals(PNG.sync.read(drawColorIcon()).data)).toBe(true);
    expect(PNG.sync.read(outline).data.equals(PNG.sync.read(drawOutlineIcon()).data)).toBe(true);
    expect(iconProblems(outline, color)).toEqual([
      'color.png: expected 192×192 (got 32×32)',
      'outline.png: expected 32×32 (got 192×192)',
      'outline.png: pixel 0,0 is neither white nor transparent',
    ]);
  });

  it('writes the package: manifest.json, fr.json and both icons', async () => {
    const out = join(dir, 'teams-app.zip');
    await buildTeamsPackage(ENV, out);
    const zip = await JSZip.loadAsync(await readFile(out));
    expect(Object.keys(zip.files).sort()).toEqual(['color.png', 'fr.json', 'manifest.json', 'outline.png']);
    const packed = JSON.parse(await zip.file('manifest.json')!.async('string'));
    expect(packed.bots[0].botId).toBe(BOT_ID);
  });
});
