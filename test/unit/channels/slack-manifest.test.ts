/**
 * manifest/slack/manifest.yml: required fields, every scope and event the code needs, request URLs,
 * and a real type check against @slack/web-api's `AppsManifestCreateArguments['manifest']` (the
 * parsed YAML is written as a TypeScript literal and compiled with the TypeScript compiler, so a
 * misspelt scope, event or key fails the test).
 */
import { randomBytes } from 'node:crypto';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { AppsManifestCreateArguments } from '@slack/web-api';
import ts from 'typescript';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { HOST_PLACEHOLDER, REQUIRED_BOT_EVENTS, REQUIRED_BOT_SCOPES, fillSlackManifest, readSlackManifest } from '../../../scripts/manifest-slack.ts';
import { ROOT } from '../../helpers/process.ts';

type Manifest = AppsManifestCreateArguments['manifest'];

const yamlText = await readSlackManifest();
// Checked by `tsc` like every test file; the compiler check below is the one that sees the values.
const manifest: Manifest = parse(yamlText) as Manifest;

const CHECK_DIR = join(ROOT, 'node_modules', '.cache', 'guichet-slack-manifest-check');

afterAll(async () => {
  await rm(CHECK_DIR, { recursive: true, force: true });
});

/** Compiles `const manifest: AppsManifestCreateArguments['manifest'] = <value>;` and returns the errors. */
async function typeErrors(value: unknown): Promise<string[]> {
  await mkdir(CHECK_DIR, { recursive: true });
  const file = join(CHECK_DIR, `manifest-${randomBytes(4).toString('hex')}.ts`);
  await writeFile(
    file,
    `import type { AppsManifestCreateArguments } from '@slack/web-api';\nexport const manifest: AppsManifestCreateArguments['manifest'] = ${JSON.stringify(value, null, 2)};\n`,
  );
  const program = ts.createProgram([file], {
    strict: true,
    noEmit: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    skipLibCheck: true,
    types: [],
  });
  return ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
}

describe('Slack app manifest', () => {
  it('type-checks against AppsManifestCreateArguments["manifest"]', async () => {
    expect(await typeErrors(manifest)).toEqual([]);
  }, 60_000);

  it('the type check does catch a misspelt scope or event (control)', async () => {
    const broken = structuredClone(manifest) as any;
    broken.oauth_config.scopes.bot.push('chat:writes');
    broken.settings.event_subscriptions.bot_events.push('app_mentions');
    const errors = await typeErrors(broken);
    expect(errors.join('\n')).toMatch(/chat:writes/);
    expect(errors.join('\n')).toMatch(/app_mentions/);
  }, 60_000);

  it('has the required fields', () => {
    expect(manifest.display_information.name).toBe('Guichet');
    expect(manifest.display_information.name.length).toBeLessThanOrEqual(35);
    expect(manifest.display_information.description!.length).toBeLessThanOrEqual(140);
    expect(manifest.features?.bot_user?.display_name).toMatch(/^[a-z0-9._-]{1,80}$/);
    expect(manifest.features?.app_home).toMatchObject({ home_tab_enabled: true, messages_tab_enabled: true, messages_tab_read_only_enabled: false });
    expect(manifest.settings?.interactivity?.is_enabled).toBe(true);
  });

  it('declares /guichet with an English usage hint (text, help, or nothing for the ticket form)', () => {
    expect(manifest.features?.slash_commands).toEqual([
      expect.objectContaining({ command: '/guichet', url: `${HOST_PLACEHOLDER}/slack/events`, usage_hint: expect.stringMatching(/help.*ticket/), should_escape: false }),
    ]);
  });

  it('requests every bot scope the code needs, and no other', () => {
    const scopes = manifest.oauth_config?.scopes?.bot ?? [];
    expect([...scopes].sort()).toEqual(Object.keys(REQUIRED_BOT_SCOPES).sort());
  });

  it('subscribes to every event the code handles, and no other', () => {
    const events = manifest.settings?.event_subscriptions?.bot_events ?? [];
    expect([...events].sort()).toEqual([...REQUIRED_BOT_EVENTS].sort());
  });

  it('points every request URL at YOUR-HOST/slack/events, which manifest:slack fills from PUBLIC_URL', () => {
    expect(manifest.settings?.event_subscriptions?.request_url).toBe(`${HOST_PLACEHOLDER}/slack/events`);
    expect(manifest.settings?.interactivity?.request_url).toBe(`${HOST_PLACEHOLDER}/slack/events`);
    const filled = parse(fillSlackManifest(yamlText, 'https://guichet.example.org/')) as Manifest;
    expect(filled.settings?.event_subscriptions?.request_url).toBe('https://guichet.example.org/slack/events');
    expect(filled.settings?.interactivity?.request_url).toBe('https://guichet.example.org/slack/events');
    expect(filled.features?.slash_commands?.[0]?.url).toBe('https://guichet.example.org/slack/events');
    expect(JSON.stringify(filled)).not.toContain('YOUR-HOST');
    // Behind a reverse proxy path.
    expect(fillSlackManifest(yamlText, 'https://intranet.example.org/guichet')).toContain('https://intranet.example.org/guichet/slack/events');
  });

  it('refuses a PUBLIC_URL Slack cannot call', () => {
    expect(() => fillSlackManifest(yamlText, 'http://guichet.example.org')).toThrow(/must be https/);
    expect(() => fillSlackManifest(yamlText, 'guichet.example.org')).toThrow(/is not a URL/);
  });
});
