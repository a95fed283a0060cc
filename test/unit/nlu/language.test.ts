import { describe, expect, it } from 'vitest';
import { detectLanguage } from '../../../src/nlu/language.ts';

describe('detectLanguage', () => {
  it.each([
    ['bonjour', 'fr'],
    ['hello', 'en'],
    ['mon mot de passe ne marche plus', 'fr'],
    ["j'arrive pas à imprimer", 'fr'],
    ['l’imprimante est bloquée', 'fr'],
    ["I can't connect to the VPN", 'en'],
    ['my laptop is very slow since the update', 'en'],
    ['écran noir', 'fr'],
  ])('"%s" is %s', (text, lang) => {
    expect(detectLanguage(text, lang === 'fr' ? 'en' : 'fr').lang).toBe(lang);
  });

  it('keeps the fallback with zero confidence when no word tells', () => {
    expect(detectLanguage('VPN wifi Teams 0x80070005', 'fr')).toEqual({ lang: 'fr', confidence: 0 });
    expect(detectLanguage('VPN wifi Teams 0x80070005', 'en')).toEqual({ lang: 'en', confidence: 0 });
  });

  it('reports full confidence when only one language speaks', () => {
    expect(detectLanguage('bonjour', 'en').confidence).toBe(1);
  });
});
