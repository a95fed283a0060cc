import { describe, expect, it } from 'vitest';
import { analyzerFor, createAnalyzer, fold, normalize, splitWords } from '../../../src/nlu/text.ts';

const words = (text: string) => splitWords(text).map((w) => w.word);
const terms = (lang: 'fr' | 'en', text: string) => analyzerFor(lang).terms(text);

describe('normalize and fold', () => {
  it('applies NFKC, lower case and one apostrophe', () => {
    expect(normalize('ＶＰＮ ﬁle L’IMPRIMANTE')).toBe("vpn file l'imprimante");
  });

  it('removes accents and splits ligatures', () => {
    expect(fold('réseau bloqué œuvre Ça')).toBe('reseau bloque oeuvre Ça'.replace('Ç', 'C'));
  });

  it('folds composed and decomposed forms the same way', () => {
    expect(fold('e\u0301cran')).toBe(fold('écran'));
  });
});

describe('tokenization', () => {
  it('removes French elision', () => {
    expect(words("l'imprimante d'Anne n'imprime qu'en noir jusqu'à midi")).toEqual(['imprimante', 'anne', 'imprime', 'en', 'noir', 'à', 'midi']);
  });

  it('removes English clitics and keeps the verb of a negation', () => {
    expect(words("the user's laptop can't connect, it doesn't work")).toEqual(['the', 'user', 'laptop', 'can', 'connect', 'it', 'does', 'work']);
  });

  it('keeps error codes, numbers and versions whole', () => {
    expect(words('Erreur 0x80070005 puis 809 sur la version 10.0.22631')).toEqual(['erreur', '0x80070005', 'puis', '809', 'sur', 'la', 'version', '10.0.22631']);
  });

  it('gives a compound joined, then its parts', () => {
    const tokens = splitWords('le wi-fi');
    expect(tokens.map((t) => [t.word, t.part === true])).toEqual([
      ['le', false],
      ['wifi', false],
      ['wi', true],
      ['fi', true],
    ]);
    expect(new Set(tokens.slice(1).map((t) => t.pos)).size).toBe(1);
  });
});

describe('stop words', () => {
  it('drops French and English function words and chat fillers', () => {
    expect(terms('fr', 'bonjour, je ne peux pas me connecter svp')).toEqual(terms('fr', 'connecter'));
    expect(terms('en', 'hi, please can you help me with the printer')).toEqual(terms('en', 'help printer'));
  });

  it('drops English chat fillers of time and emphasis, which name no topic', () => {
    expect(terms('en', 'vpn really slow since yesterday, urgent')).toEqual(terms('en', 'vpn slow'));
    expect(terms('en', 'teams suddenly doesnt open anymore, totally blank')).toEqual(terms('en', 'teams open blank'));
  });

  it('keeps words that name a symptom, such as "no"', () => {
    expect(terms('en', 'no sound')).toContain('no');
  });

  it('keeps French "son" when it is the sound, drops it when it is the possessive', () => {
    expect(terms('fr', 'pas de son pendant les reunions teams')).toEqual(['son', ...terms('fr', 'reunions teams')]);
    expect(terms('fr', 'le son ne marche pas')).toEqual(['son', ...terms('fr', 'marche')]);
    expect(terms('fr', "j'ai du son mais pas de micro")).toEqual(['son', 'micro']);
    expect(terms('fr', 'plus de son')).toEqual(['son']);
    expect(terms('fr', 'il a perdu son pc')).toEqual(terms('fr', 'perdu pc'));
    expect(terms('fr', 'son casque marche pas')).toEqual(terms('fr', 'casque marche'));
    // The tokens agree with the terms; English has no such word.
    expect(analyzerFor('fr').tokens('pas de son').map((t) => t.term)).toEqual(['', '', 'son']);
    expect(analyzerFor('fr').tokens('son pc').map((t) => t.stop)).toEqual([true, false]);
  });

  it('keeps stop words in the token list, flagged, for phrase matching', () => {
    const tokens = analyzerFor('fr').tokens('mot de passe');
    expect(tokens.map((t) => t.stop)).toEqual([false, true, false]);
  });
});

describe('stemming', () => {
  it('conflates French inflections', () => {
    const fr = analyzerFor('fr');
    expect(fr.termOf('imprimantes')).toBe(fr.termOf('imprimante'));
    expect(fr.termOf('bloquée')).toBe(fr.termOf('bloqué'));
    expect(fr.termOf('écrans')).toBe(fr.termOf('écran'));
    expect(fr.termOf('oubliée')).toBe(fr.termOf('oublié'));
  });

  it('conflates English inflections', () => {
    const en = analyzerFor('en');
    expect(en.termOf('printers')).toBe(en.termOf('printer'));
    expect(en.termOf('connecting')).toBe(en.termOf('connected'));
    expect(en.termOf('passwords')).toBe(en.termOf('password'));
  });

  it('offers the measured alternatives (Lancaster is more aggressive than Porter)', () => {
    const porter = createAnalyzer('en', { stemmer: 'porter' });
    const lancaster = createAnalyzer('en', { stemmer: 'lancaster' });
    expect(porter.termOf('printer')).toBe('printer');
    expect(lancaster.termOf('printer')).toBe(lancaster.termOf('printing'));
  });

  it('does not stem codes or short abbreviations', () => {
    const fr = analyzerFor('fr');
    expect(fr.termOf('0x80070005')).toBe('0x80070005');
    expect(fr.termOf('hs')).toBe('hs');
    expect(fr.termOf('mdp')).toBe('mdp');
  });

  it('folds accents out of terms', () => {
    expect(analyzerFor('fr').termOf('réseau')).toBe('reseau');
  });
});

describe('French forms the Porter stemmer keeps apart', () => {
  const fr = analyzerFor('fr');
  it('stems a verb in the 3rd person plural as its singular ("marchent" = "marche")', () => {
    for (const [plural, singular] of [['marchent', 'marche'], ['synchronisent', 'synchronise'], ['affichent', 'affiche'], ['déconnectent', 'déconnecte'], ['envoient', 'envoie']]) {
      expect(fr.termOf(plural as string)).toBe(fr.termOf(singular as string));
    }
  });
  it('stems a noun in -ions as its singular ("déconnexions" = "déconnexion")', () => {
    expect(fr.termOf('déconnexions')).toBe(fr.termOf('déconnexion'));
    expect(fr.termOf('connexions')).toBe(fr.termOf('connexion'));
  });
  it('leaves nouns and adjectives in -ent alone ("client" is no plural of "clie")', () => {
    expect(fr.termOf('client')).toBe(fr.termOf('clients'));
    expect(fr.termOf('client')).not.toBe(fr.termOf('clie'));
    expect(fr.termOf('fréquent')).toBe(fr.termOf('fréquentes'));
    expect(fr.termOf('urgent')).toBe(fr.termOf('urgents'));
  });
});
