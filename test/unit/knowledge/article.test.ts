import { describe, expect, it } from 'vitest';
import { parseArticle, parseArticleFile, serializeArticle, type Article } from '../../../src/knowledge/article.ts';

const SERVICES = ['identity', 'email', 'collaboration', 'vpn', 'network', 'printing', 'workstation'];
const FILE = 'knowledge/en/known-errors/KE-0007-vpn-error-809.md';
const BODY = `The VPN profile to use from home is the SSL one.\n\n## Steps\n1. Open **Cisco Secure Client**.\n${'2. Choose the SSL profile and connect. '.repeat(12)}\n\n## If this does not work\nAsk Guichet for a ticket.`;

const FRONT: Record<string, string> = {
  id: 'KE-0007',
  type: 'known-error',
  lang: 'en',
  title: '"VPN error 809 on some home routers"',
  tags: '[vpn, error-809, home, router]',
  services: '[vpn]',
  symptoms: '\n  - "The VPN says error 809"\n  - "VPN connects at the office but not from home"',
  cause: '"Home routers block IPsec."',
  workaround: '"Use the SSL profile."',
  status: 'published',
  updated: '2026-10-15',
};

/** An article file with some front matter fields replaced (undefined: left out). */
function file(changes: Record<string, string | undefined> = {}, body = BODY): string {
  const fields = { ...FRONT, ...changes };
  const yaml = Object.entries(fields)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}: ${v}`)
    .join('\n');
  return `---\n${yaml}\n---\n${body}\n`;
}

const messages = (text: string, path = FILE) => parseArticleFile(path, text, SERVICES).issues.filter((i) => i.severity === 'error').map((i) => i.message);

describe('parseArticleFile', () => {
  it('parses a valid known error', () => {
    const { article, issues } = parseArticleFile(FILE, file(), SERVICES);
    expect(issues).toEqual([]);
    expect(article).toMatchObject({
      id: 'KE-0007',
      type: 'known-error',
      lang: 'en',
      tags: ['vpn', 'error-809', 'home', 'router'],
      services: ['vpn'],
      cause: 'Home routers block IPsec.',
      updated: '2026-10-15',
      path: FILE,
    });
    expect(article?.body.startsWith('The VPN profile')).toBe(true);
  });

  it.each([
    [{ services: '[mail]' }, 'field "services": unknown service "mail" (known: identity, email, collaboration, vpn, network, printing, workstation)'],
    [{ services: '[]' }, 'field "services": expected 1 or 2 service ids'],
    [{ tags: '[vpn, home]' }, 'field "tags": expected 3 to 8 tags'],
    [{ tags: '[VPN, home, router]' }, 'field "tags.0": tags are lowercase'],
    [{ symptoms: '["only one"]' }, 'field "symptoms": expected 2 to 5 symptoms'],
    [{ title: `"${'x'.repeat(101)}"` }, 'field "title": title is longer than 100 characters'],
    [{ title: undefined }, 'field "title": missing'],
    [{ type: 'howto' }, 'field "type": expected one of faq, known-error, procedure'],
    [{ lang: 'de' }, 'field "lang": expected en or fr'],
    [{ status: 'live' }, 'field "status": expected one of draft, published, retired'],
    [{ updated: '15/10/2026' }, 'field "updated": expected an ISO date YYYY-MM-DD'],
    [{ updated: '2026-02-30' }, 'field "updated": not a calendar date'],
    [{ id: 'KE-7' }, 'field "id": expected FAQ-0001, KE-0001 or PROC-0001 (prefix, dash, 4 digits)'],
    [{ cause: undefined }, 'field "cause": required for a known-error'],
    [{ workaround: undefined }, 'field "workaround": required for a known-error'],
    [{ symptom: '"typo"' }, 'field "symptom": unknown field'],
  ])('reports %o as %s, naming the file', (changes, expected) => {
    expect(messages(file(changes))).toContainEqual(expect.stringContaining(`knowledge: ${FILE}: ${expected}`));
  });

  it('forbids cause and workaround outside known errors', () => {
    const faq = file({ id: 'FAQ-0007', type: 'faq' });
    const path = 'knowledge/en/faq/FAQ-0007-vpn-error-809.md';
    expect(messages(faq, path)).toEqual([
      `knowledge: ${path}: field "cause": only allowed for a known-error (this is a faq)`,
      `knowledge: ${path}: field "workaround": only allowed for a known-error (this is a faq)`,
    ]);
  });

  it('checks that the id prefix matches the type', () => {
    expect(messages(file({ id: 'FAQ-0007' }))).toContainEqual(`knowledge: ${FILE}: field "id": a known-error id starts with KE- (got "FAQ-0007")`);
  });

  it('checks that the folder matches the language and the type', () => {
    const wrong = 'knowledge/fr/faq/KE-0007-vpn-error-809.md';
    expect(messages(file(), wrong)).toEqual([
      `knowledge: ${wrong}: field "lang": is "en" but the file is in folder "fr" (expected en/known-errors/)`,
      `knowledge: ${wrong}: field "type": is "known-error" but the file is in folder "faq" (expected en/known-errors/)`,
    ]);
  });

  it('checks the file name', () => {
    expect(messages(file(), 'knowledge/en/known-errors/KE-0008-vpn.md')).toEqual([
      'knowledge: knowledge/en/known-errors/KE-0008-vpn.md: field "id": is "KE-0007" but the file name does not start with "KE-0007-"',
    ]);
    expect(messages(file(), 'knowledge/en/known-errors/KE-0007-VPN_809.md')[0]).toContain('file name slug "VPN_809.md" must be lowercase kebab-case ASCII');
  });

  it('reports a file without front matter, or with broken YAML', () => {
    expect(messages('# Just Markdown\n')).toEqual([
      `knowledge: ${FILE}: no front matter: the file must start with a "---" line, the YAML, then a "---" line`,
    ]);
    expect(messages('---\ntitle: [unclosed\n---\nbody\n')[0]).toMatch(new RegExp(`^knowledge: ${FILE}: front matter is not valid YAML: `));
  });

  it('rejects HTML, images, URLs and deep headings in the body; warns on length', () => {
    const body = 'See <b>this</b> ![x](y.png) at https://intranet.example and\n### Details\nshort.';
    expect(messages(file({}, body))).toEqual([
      `knowledge: ${FILE}: field "body": contains HTML; use Markdown only`,
      `knowledge: ${FILE}: field "body": contains an image; images are not allowed`,
      `knowledge: ${FILE}: field "body": contains a URL ("https://…"); name the place instead (Intranet › IT › …)`,
      `knowledge: ${FILE}: field "body": heading "###" : use "##" headings only`,
    ]);
    const short = parseArticleFile(FILE, file({}, 'Too short.'), SERVICES);
    expect(short.article).toBeDefined();
    expect(short.issues.map((i) => [i.severity, i.message])).toEqual([['warning', `knowledge: ${FILE}: field "body": has 2 words (expected 80–250)`]]);
  });
});

describe('serializeArticle', () => {
  const article: Article = {
    id: 'KE-0007',
    type: 'known-error',
    lang: 'fr',
    title: 'Erreur VPN 809 : "box" bloquée, #2',
    tags: ['vpn', 'erreur-809', 'box: internet', 'no'],
    services: ['vpn', 'network'],
    symptoms: ['le VPN affiche « erreur 809 »', "ça marche au bureau, pas à la maison: pourquoi ?"],
    cause: 'Certaines box bloquent IPsec.\nSur deux lignes.',
    workaround: 'Profil SSL.',
    status: 'published',
    updated: '2026-10-15',
    body: BODY,
  };

  it('round-trips: parse(serialize(a)) equals a', () => {
    const { article: back, issues } = parseArticle(serializeArticle(article), SERVICES);
    expect(issues.filter((i) => i.severity === 'error')).toEqual([]);
    expect(back).toEqual(article);
  });

  it('writes the front matter in the README order, tags and services inline', () => {
    const text = serializeArticle({ ...article, path: 'somewhere.md' });
    const keys = [...text.matchAll(/^([a-z]+):/gm)].map((m) => m[1]);
    expect(keys).toEqual(['id', 'type', 'lang', 'title', 'tags', 'services', 'symptoms', 'cause', 'workaround', 'status', 'updated']);
    expect(text).toMatch(/^services: \[vpn, network\]$/m);
    expect(text).not.toContain('somewhere.md');
  });

  it('leaves cause and workaround out of other types', () => {
    const faq: Article = { ...article, id: 'FAQ-0007', type: 'faq' };
    delete faq.cause;
    delete faq.workaround;
    const text = serializeArticle(faq);
    expect(text).not.toMatch(/^(cause|workaround):/m);
    expect(parseArticle(text, SERVICES).article).toEqual(faq);
  });
});
