/**
 * Content check: each search node of dialogs/ finds the article it was
 * written for in the real knowledge base (knowledge/), in both languages,
 * among the first three results. If the knowledge search or an article
 * changes and this fails, retune the flow's query.
 */
import { describe, expect, it } from 'vitest';
import { loadKnowledgeDir } from '../../../src/knowledge/load-knowledge-dir.ts';
import { buildKnowledgeIndex } from '../../../src/knowledge/search/knowledge-search.ts';
import { renderQuery } from '../../../src/flows/template.ts';
import { SERVICE_IDS, realFlows } from './flow-driver.ts';

/** flow/search node → the article it should find. */
const EXPECTED: Record<string, string> = {
  'access-request/search-lost': 'FAQ-0025',
  'hardware/search-charging': 'KE-0009',
  'mfa/search-setup': 'FAQ-0004',
  'mfa/search-push': 'KE-0011',
  'mfa/search-number': 'FAQ-0005',
  'mfa/search-code': 'KE-0011',
  'outlook/search-quota': 'FAQ-0014',
  'outlook/search-loop': 'KE-0004',
  'outlook/search-search': 'KE-0005',
  'outlook/search-iphone': 'KE-0018',
  'password/search-reset': 'FAQ-0002',
  'password/search-locked': 'FAQ-0003',
  'password/search-relock': 'KE-0012',
  'password/search-change': 'FAQ-0001',
  'printer/search-badge': 'KE-0014',
  'printer/search-scan': 'KE-0015',
  'slow-computer/search-dock': 'KE-0008',
  'slow-computer/search-bitlocker': 'KE-0019',
  'software-request/search-pending': 'KE-0020',
  'vpn/search-error': 'KE-0001',
  'vpn/search-slow': 'KE-0002',
  'vpn/search-drives': 'KE-0003',
  'wifi/search-cert': 'KE-0010',
};

/** Slot values a user on the way to each search would have given. */
const SLOTS = { error_code: 'none', software: 'Power BI Desktop' };

describe('search queries of dialogs/ against knowledge/', () => {
  const { articles } = loadKnowledgeDir('knowledge', SERVICE_IDS);
  const index = buildKnowledgeIndex(articles);
  const flows = realFlows();

  it('every search node has an expected article', () => {
    const nodes = flows.flatMap((f) => Object.entries(f.nodes).filter(([, n]) => n.kind === 'search').map(([name]) => `${f.id}/${name}`));
    expect(nodes.sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  for (const [where, id] of Object.entries(EXPECTED)) {
    it(`${where} finds ${id}`, () => {
      const [flowId, nodeName] = where.split('/') as [string, string];
      const flow = flows.find((f) => f.id === flowId);
      const node = flow?.nodes[nodeName];
      if (!flow || node?.kind !== 'search') throw new Error(`test: no search node ${where}`);
      for (const lang of ['fr', 'en'] as const) {
        const query = renderQuery(flow, { ...SLOTS, utterance: flow.examples[lang][0] ?? '' }, node.query, lang);
        const top = index.search(query, { lang, services: node.services ?? [flow.service], limit: 3 }).map((h) => h.ref.id);
        expect(top, `${lang}: ${query}`).toContain(id);
      }
    });
  }
});
