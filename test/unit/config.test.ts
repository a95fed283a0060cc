import { readFileSync } from 'node:fs';
import { parseEnv } from 'node:util';
import { describe, expect, it } from 'vitest';
import { CONFIG_VARIABLES, describeConfig, loadCliConfig, loadConfig } from '../../src/config.ts';

describe('loadConfig', () => {
  it('starts on the embedded defaults with an empty environment', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ NODE_ENV: 'development', PORT: 3978, host: '127.0.0.1', DATABASE_URL: 'file:./data/guichet.db', DEFAULT_LOCALE: 'fr' });
    // Teams runs with auth off in development; Slack only when configured.
    expect([...config.channels].sort()).toEqual(['teams', 'web']);
  });

  it('names the variable and what it expects when a value is wrong', () => {
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(/PORT: Expected number, received nan \(got "eighty"\)/);
    expect(() => loadConfig({ DATABASE_URL: 'mysql://x' })).toThrow(/DATABASE_URL: expected "file:<path>" \(SQLite\) or "postgresql:\/\/…"/);
    expect(() => loadConfig({ DEFAULT_LOCALE: 'de' })).toThrow(/DEFAULT_LOCALE: Invalid enum value. Expected 'fr' \| 'en'/);
    expect(() => loadConfig({ CHANNELS: 'web,fax' })).toThrow(/CHANNELS: unknown channel "fax"/);
  });

  it('requires both Slack credentials as soon as one is set, without echoing secrets', () => {
    let message = '';
    try {
      loadConfig({ SLACK_BOT_TOKEN: 'xoxb-very-secret' });
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toMatch(/SLACK_SIGNING_SECRET: required when Slack is enabled/);
    expect(message).not.toContain('xoxb-very-secret');
    expect(loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's' }).channels.has('slack')).toBe(true);
  });

  it('refuses production with Teams enabled but no credentials', () => {
    expect(() => loadConfig({ NODE_ENV: 'production', CHANNELS: 'web,teams' })).toThrow(
      /MicrosoftAppId: required in production when Teams is enabled[\s\S]*MicrosoftAppPassword[\s\S]*TEAMS_TENANT_IDS/,
    );
    expect(() => loadConfig({ NODE_ENV: 'production', MicrosoftAppId: 'app' })).toThrow(/MicrosoftAppPassword: required in production/);
    const ok = loadConfig({ NODE_ENV: 'production', MicrosoftAppId: 'app', MicrosoftAppPassword: 'pw', TEAMS_TENANT_IDS: 't1, t2', SESSION_SECRET: 's'.repeat(64) });
    expect(ok.TEAMS_TENANT_IDS).toEqual(['t1', 't2']);
    expect(ok.host).toBe('0.0.0.0');
  });

  it('refuses production with Slack enabled but no workspace list', () => {
    expect(() => loadConfig({ NODE_ENV: 'production', SLACK_BOT_TOKEN: 'x', SLACK_SIGNING_SECRET: 'y' })).toThrow(/SLACK_TEAM_IDS: required in production/);
  });

  it('serves only the web chat in production when no platform is configured', () => {
    expect([...loadConfig({ NODE_ENV: 'production', SESSION_SECRET: 's'.repeat(64) }).channels]).toEqual(['web']);
  });

  it('refuses the local portal sign-in beyond this machine and in production, and production without a session secret', () => {
    expect(loadConfig({ WEB_DEV_SIGNIN: 'true' }).WEB_DEV_SIGNIN).toBe(true);
    expect(() => loadConfig({ WEB_DEV_SIGNIN: 'true', HOST: '0.0.0.0' })).toThrow(/WEB_DEV_SIGNIN: the local sign-in lets anyone be anyone; .*HOST=0\.0\.0\.0/);
    expect(() => loadConfig({ WEB_DEV_SIGNIN: 'true', NODE_ENV: 'production', SESSION_SECRET: 'x' })).toThrow(/WEB_DEV_SIGNIN/);
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/SESSION_SECRET: required in production/);
    expect(() => loadConfig({ WEB_DEV_SIGNIN: 'yes' })).toThrow(/WEB_DEV_SIGNIN/);
  });

  it('checks the OpenID Connect settings: client, where to come back, https in production', () => {
    expect(() => loadConfig({ OIDC_ISSUER_URL: 'https://login.example.org/tenant/v2.0' })).toThrow(/OIDC_CLIENT_ID: required with OIDC_ISSUER_URL[\s\S]*OIDC_REDIRECT_URL: required/);
    expect(loadConfig({ OIDC_ISSUER_URL: 'https://login.example.org/t', OIDC_CLIENT_ID: 'guichet', PUBLIC_URL: 'https://guichet.example.org', OIDC_AGENT_GROUPS: 'it, helpdesk' }).OIDC_AGENT_GROUPS).toEqual(['it', 'helpdesk']);
    expect(() => loadConfig({ NODE_ENV: 'production', SESSION_SECRET: 's', OIDC_ISSUER_URL: 'http://idp.example.org', OIDC_CLIENT_ID: 'g', OIDC_REDIRECT_URL: 'https://g.example.org/cb' })).toThrow(/OIDC_ISSUER_URL: must be https in production/);
  });

  it('logs no credentials', () => {
    const described = JSON.stringify(
      describeConfig(loadConfig({ DATABASE_URL: 'postgresql://guichet:hunter2@db:5432/guichet', MicrosoftAppPassword: 'pw-secret' })),
    );
    expect(described).toContain('postgresql://***@db:5432/guichet');
    expect(described).not.toMatch(/hunter2|pw-secret/);
  });
});

describe('loadCliConfig (the command-line tools)', () => {
  it('reads the same variables and defaults as the server', () => {
    expect(loadCliConfig({})).toMatchObject({ DATABASE_URL: 'file:./data/guichet.db', KNOWLEDGE_DIR: 'knowledge', CONFIG_DIR: 'config', DEFAULT_LOCALE: 'fr' });
    expect(loadCliConfig({ KNOWLEDGE_DIR: 'kb', DEFAULT_LOCALE: 'en' })).toMatchObject({ KNOWLEDGE_DIR: 'kb', DEFAULT_LOCALE: 'en' });
  });

  it('does not require what only serving needs: channel credentials, session secret', () => {
    expect(() => loadConfig({ NODE_ENV: 'production', CHANNELS: 'web,teams' })).toThrow(/MicrosoftAppId/);
    expect(loadCliConfig({ NODE_ENV: 'production', CHANNELS: 'web,teams', SLACK_BOT_TOKEN: 'xoxb-1' }).NODE_ENV).toBe('production');
  });

  it('still names a malformed variable, without echoing the credentials of a URL', () => {
    expect(() => loadCliConfig({ DATABASE_URL: 'mysql://x' })).toThrow(/DATABASE_URL: expected "file:<path>"/);
    let message = '';
    try {
      loadCliConfig({ SHADOW_DATABASE_URL: 'mysql://root:hunter2@db/x' });
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toContain('SHADOW_DATABASE_URL: expected "postgresql://…" (got "mysql://***@db/x")');
    expect(loadCliConfig({ SHADOW_DATABASE_URL: 'postgresql://postgres@127.0.0.1:5432/postgres' }).SHADOW_DATABASE_URL).toBe('postgresql://postgres@127.0.0.1:5432/postgres');
  });
});

describe('.env.example', () => {
  const text = readFileSync(new URL('../../.env.example', import.meta.url), 'utf8');

  it('documents every variable Guichet reads', () => {
    const documented = new Set([...text.matchAll(/^#?\s*([A-Za-z_][A-Za-z0-9_]*)=/gm)].map((m) => m[1]));
    expect(CONFIG_VARIABLES.filter((name) => !documented.has(name))).toEqual([]);
  });

  it('is a configuration Guichet starts with', () => {
    const config = loadConfig(parseEnv(text) as NodeJS.ProcessEnv);
    expect(config.DATABASE_URL).toBe('file:./data/guichet.db');
  });
});
