import { describe, expect, it } from 'vitest';
import { createDirectory, loadDirectoryEnv } from '../../../src/directory/config.ts';
import { GraphDirectory } from '../../../src/directory/graph-directory.ts';
import { LdapDirectory } from '../../../src/directory/ldap-directory.ts';
import { createDirectoryService } from '../../../src/directory/service.ts';

const smtp = { SMTP_URL: 'smtp://127.0.0.1:2525', SMTP_FROM: 'guichet@example.org' };

describe('directory configuration', () => {
  it('changes nothing without DIRECTORY', () => {
    const env = loadDirectoryEnv({});
    expect(env.DIRECTORY).toBe('none');
    expect(createDirectory(env)).toBeUndefined();
  });

  it('builds the LDAP directory', () => {
    const env = loadDirectoryEnv({
      DIRECTORY: 'ldap',
      LDAP_URL: 'ldaps://dc1.corp.example.org:636',
      LDAP_BIND_DN: 'CN=svc-guichet,OU=Services,DC=corp,DC=example,DC=org',
      LDAP_BIND_PASSWORD: 'secret',
      LDAP_BASE_DN: 'DC=corp,DC=example,DC=org',
      LDAP_FLAVOUR: 'active-directory',
      LDAP_MAX_PASSWORD_AGE_DAYS: '90',
      ...smtp,
    });
    expect(env.LDAP_MAX_PASSWORD_AGE_DAYS).toBe(90);
    expect(createDirectory(env)).toBeInstanceOf(LdapDirectory);
  });

  it('builds the Graph directory from configured URLs', () => {
    const env = loadDirectoryEnv({
      DIRECTORY: 'graph',
      GRAPH_TENANT_ID: 't',
      GRAPH_CLIENT_ID: 'c',
      GRAPH_CLIENT_SECRET: 's',
      GRAPH_AUTHORITY_URL: 'http://127.0.0.1:1/authority',
      GRAPH_API_URL: 'http://127.0.0.1:1/v1.0/',
      ...smtp,
    });
    expect(createDirectory(env)).toBeInstanceOf(GraphDirectory);
  });

  it('names the missing or malformed variable', () => {
    expect(() => loadDirectoryEnv({ DIRECTORY: 'ldap', ...smtp })).toThrow(expect.objectContaining({ code: 'directory.invalid-config', message: 'directory: field "LDAP_URL": is required when DIRECTORY=ldap' }));
    expect(() => loadDirectoryEnv({ DIRECTORY: 'ad' })).toThrow(/field "DIRECTORY"/);
    expect(() => loadDirectoryEnv({ LDAP_URL: 'http://dc1' })).toThrow(/field "LDAP_URL": expected ldap:\/\/ or ldaps:\/\//);
  });
});

describe('directory configuration from a copied .env.example', () => {
  it('treats empty variables as unset', () => {
    const env = loadDirectoryEnv({ DIRECTORY: '', LDAP_FLAVOUR: '', DIRECTORY_ACTIONS_FILE: '', LDAP_URL: '', LDAP_MAX_PASSWORD_AGE_DAYS: '' });
    expect(env).toMatchObject({ DIRECTORY: 'none', LDAP_FLAVOUR: 'openldap', DIRECTORY_ACTIONS_FILE: 'config/directory-actions.yml' });
    expect(env.LDAP_URL).toBeUndefined();
  });
});

describe('the directory service', () => {
  it('is absent without a directory, and built with its policy otherwise', async () => {
    expect(await createDirectoryService(loadDirectoryEnv({}))).toBeUndefined();
    const env = loadDirectoryEnv({ DIRECTORY: 'ldap', LDAP_URL: 'ldap://127.0.0.1:9', LDAP_BIND_DN: 'cn=x', LDAP_BIND_PASSWORD: 'x', LDAP_BASE_DN: 'dc=x', ...smtp });
    const service = await createDirectoryService(env);
    expect(service).toBeDefined();
    const outcome = await service!.actions.perform({ idempotencyKey: 'k', requester: { channel: 'slack', userId: 'U1', email: 'a@example.org', emailVerified: true }, action: 'unlock', lang: 'en' });
    expect(outcome).toMatchObject({ kind: 'failed', reason: 'unreachable' });
    service!.close();
  });

  it('stops on a policy file with a mistake, naming it', async () => {
    const env = loadDirectoryEnv({ DIRECTORY: 'ldap', LDAP_URL: 'ldap://127.0.0.1:9', LDAP_BIND_DN: 'cn=x', LDAP_BIND_PASSWORD: 'x', LDAP_BASE_DN: 'dc=x', DIRECTORY_ACTIONS_FILE: 'config/missing.yml', ...smtp });
    await expect(createDirectoryService(env)).rejects.toMatchObject({ code: 'directory.invalid-policy', message: 'directory: cannot read config/missing.yml' });
  });
});
