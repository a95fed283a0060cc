import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileSynonyms, loadSynonymFile, parseSynonymRules } from '../../../src/nlu/synonyms.ts';
import { analyzerFor } from '../../../src/nlu/text.ts';

const SHIPPED = join(import.meta.dirname, '../../../knowledge/synonyms.yml');

function expansions(lang: 'fr' | 'en', rules: string[], text: string): string[] {
  const analyzer = analyzerFor(lang);
  return compileSynonyms(parseSynonymRules(rules), analyzer)
    .expand(analyzer.tokens(text))
    .map((e) => e.terms.join('+'));
}

describe('synonym rules', () => {
  it('expands an equivalence both ways', () => {
    const rules = ['wifi, wlan, wireless'];
    expect(expansions('en', rules, 'wlan down')).toEqual(expect.arrayContaining(['wifi', analyzerFor('en').termOf('wireless')]));
    expect(expansions('en', rules, 'wifi down')).toContain('wlan');
  });

  it('expands a one-way rule only forward', () => {
    const rules = ['pc => computer'];
    expect(expansions('en', rules, 'my pc')).toEqual([analyzerFor('en').termOf('computer')]);
    expect(expansions('en', rules, 'my computer')).toEqual([]);
  });

  it('matches phrases, the longest first, ignoring accents and inflection', () => {
    const rules = ['mdp, mot de passe, password', 'mot, parole'];
    const fr = analyzerFor('fr');
    expect(expansions('fr', rules, 'mot de passe oublie')).toEqual(['mdp']);
    expect(expansions('fr', rules, 'mdp')).toEqual([`${fr.termOf('mot')}+${fr.termOf('passe')}`]);
    expect(expansions('fr', ['imprimante, copieur'], "l'imprimantes bloquées")).toEqual([fr.termOf('copieur')]);
  });

  it('expands only into phrases of the index language or of no clear language', () => {
    const rules = ['mdp, mot de passe, password, pwd'];
    expect(expansions('en', rules, 'mdp')).toEqual(expect.arrayContaining(['password', 'pwd']));
    expect(expansions('en', rules, 'mdp')).not.toContain('mot+pass');
    expect(expansions('fr', rules, 'password')).toContain('mdp');
  });

  it('rejects malformed rules with the rule number and text', () => {
    expect(() => parseSynonymRules(['a, b', 'a => b => c'], 'syn.yml')).toThrow('synonyms: syn.yml: rule 2 "a => b => c": expected "a, b, c" or "a, b => c"');
    expect(() => parseSynonymRules(['lonely'], 'syn.yml')).toThrow('rule 1 "lonely": an equivalence needs at least two phrases');
  });

  it('rejects a file that is not a list of rules, naming the field', () => {
    const dir = mkdtempSync(join(tmpdir(), 'guichet-syn-'));
    const file = join(dir, 'synonyms.yml');
    writeFileSync(file, 'synonyms: wifi, wlan\n');
    expect(() => loadSynonymFile(file)).toThrow(`synonyms: ${file}: field "synonyms"`);
  });
});

describe('knowledge/synonyms.yml', () => {
  const rules = loadSynonymFile(SHIPPED);

  it('has at least 60 rules, all valid', () => {
    expect(rules.length).toBeGreaterThanOrEqual(60);
  });

  it.each([
    ['fr', 'mdp oublié', 'mot+pass+oubli'],
    ['fr', 'wi-fi', 'wlan'],
    ['en', 'pwd reset', 'password'],
    ['en', 'my screen is black', 'monitor'],
    ['fr', 'mon ordi', 'ordin'],
    ['en', 'mfa', 'authent'],
    ['en', 'where can i change my pw', 'password'],
    ['en', 'open my calendar to a coworker', 'colleagu'],
    ['fr', 'mon collègue', 'colleagu'],
    ['en', 'sfdc sign in loop', 'salesforc'],
    ['en', 'answering machine', 'voicemail'],
    // How employees say it (bench/data check part's writers): the words the articles use are reached.
    ['fr', 'mon code de session', 'pass'],
    ['fr', 'plus de validations de connexion', 'approb'],
    ['fr', 'mon téléphone de fonction', 'company'],
    ['fr', "j'ai plus de place", 'plein'],
    ['en', 'my phone was nicked', 'stolen'],
    ['fr', "je commence aujourd'hui", 'arriv'],
    ['fr', 'le partage réseau a disparu', 'lecteur'],
    ['fr', 'un fournisseur a besoin du wifi', 'visiteur'],
    ['en', 'send from the team mailbox', 'share'],
  ] as const)('%s "%s" expands to something with "%s"', (lang, text, part) => {
    const analyzer = analyzerFor(lang);
    const all = compileSynonyms(rules, analyzer).expand(analyzer.tokens(text)).flatMap((e) => e.terms);
    expect(all.some((t) => t.startsWith(part.split('+')[0] ?? part))).toBe(true);
  });
});
