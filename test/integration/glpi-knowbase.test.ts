/**
 * `npm run kb -- import --from-glpi`'s work: GLPI's KnowbaseItems read from the fake GLPI, imported
 * as drafts through the knowledge import's checks, and written to a knowledge folder whose files
 * pass the file format's rules; their HTML is sanitised Markdown.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadServiceIds } from '../../src/catalog/services.ts';
import { GlpiClient } from '../../src/connectors/glpi/client.ts';
import { htmlToMarkdown, knowbaseRows } from '../../src/connectors/glpi/knowbase.ts';
import { exportKnowledge } from '../../src/knowledge/export.ts';
import { importRows } from '../../src/knowledge/import.ts';
import { loadKnowledgeDir } from '../../src/knowledge/load-knowledge-dir.ts';
import { PrismaArticleStore } from '../../src/persistence/stores/articles.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { FakeGlpi } from '../helpers/fake-glpi.ts';

const glpi = new FakeGlpi();
let testDb: TestDatabase;
let dir: string;

beforeAll(async () => {
  await glpi.start();
  testDb = await createTestDatabase();
  dir = await mkdtemp(join(tmpdir(), 'guichet-kb-'));
}, 60_000);

afterAll(async () => {
  await testDb?.cleanup();
  await glpi.stop();
  await rm(dir, { recursive: true, force: true });
});

describe('GLPI knowledge base import', () => {
  it('turns GLPI rich text into sanitised Markdown', () => {
    const html = '&lt;h1&gt;VPN&lt;/h1&gt;&lt;p&gt;Ouvrez &lt;strong&gt;FortiClient&lt;/strong&gt;.&lt;script&gt;alert(1)&lt;/script&gt;&lt;/p&gt;&lt;ul&gt;&lt;li&gt;Étape 1&lt;/li&gt;&lt;li&gt;&lt;a href="javascript:alert(1)"&gt;piège&lt;/a&gt;&lt;/li&gt;&lt;/ul&gt;&lt;p&gt;&lt;a href="https://intranet.example.org/vpn"&gt;Guide&lt;/a&gt;&lt;img src=x onerror=alert(1)&gt;&lt;/p&gt;';
    expect(htmlToMarkdown(html)).toBe('## VPN\n\nOuvrez **FortiClient**.\n\n- Étape 1\n- piège\n\n[Guide](https://intranet.example.org/vpn)');
  });

  it('imports KnowbaseItems as draft FAQ files the knowledge folder accepts', async () => {
    glpi.seed('KnowbaseItem', { name: 'Se connecter au VPN', answer: '&lt;p&gt;Ouvrez FortiClient puis choisissez le profil Siège.&lt;/p&gt;', is_faq: 1 });
    glpi.seed('KnowbaseItem', { name: 'Imprimer en recto verso', answer: '&lt;p&gt;Dans la fenêtre d’impression, cochez « Recto verso ».&lt;/p&gt;', is_faq: 0 });
    const client = new GlpiClient({ url: glpi.url, appToken: 'app-token-1', userToken: 'user-token-1' });
    const rows = await knowbaseRows(client, { lang: 'fr', service: 'vpn' });
    await client.close();
    expect(glpi.requests.find((r) => r.path === 'KnowbaseItem')).toMatchObject({ method: 'GET', query: { range: '0-99' } });
    const serviceIds = loadServiceIds('config');
    const store = new PrismaArticleStore(testDb.db);
    const report = await importRows(store, rows, serviceIds, 'GLPI KnowbaseItem');
    expect(report.errors).toEqual([]);
    expect(report.imported).toHaveLength(2);
    await exportKnowledge(store, dir, { serviceIds });
    const loaded = loadKnowledgeDir(dir, serviceIds);
    expect(loaded.errors).toEqual([]);
    const vpn = loaded.articles.find((a) => a.title === 'Se connecter au VPN')!;
    expect(vpn).toMatchObject({ type: 'faq', lang: 'fr', status: 'draft', services: ['vpn'] });
    expect(vpn.body).toContain('Ouvrez FortiClient puis choisissez le profil Siège.');
  });
});
