import { describe, expect, it } from 'vitest';
import { fold, recognizeCommand } from '../../../src/core/commands.ts';
import { renderPlainText, stripMarkdown } from '../../../src/core/render-text.ts';
import { parseState } from '../../../src/core/state.ts';

describe('recognizeCommand', () => {
  it.each([
    ['aide', { kind: 'help' }],
    ['Help!', { kind: 'help' }],
    ['/help', { kind: 'help' }],
    ['?', { kind: 'help' }],
    ['Que sais-tu faire ?', { kind: 'help' }],
    ['English', { kind: 'switch-language', lang: 'en' }],
    ['/lang en', { kind: 'switch-language', lang: 'en' }],
    ['en Français', { kind: 'switch-language', lang: 'fr' }],
    ['FRANCAIS', { kind: 'switch-language', lang: 'fr' }],
    ['langue fr', { kind: 'switch-language', lang: 'fr' }],
    ['Bonjour !', { kind: 'greeting' }],
    ['good morning', { kind: 'greeting' }],
    ['salut guichet', { kind: 'greeting' }],
    ['Merci !', { kind: 'thanks' }],
    ['thank you very much', { kind: 'thanks' }],
    ['super merci pour ton aide', { kind: 'thanks' }],
    ['top merci bcp', { kind: 'thanks' }],
    ['great, thanks for your help!', { kind: 'thanks' }],
    ['merci beaucoup, bonne journée', { kind: 'thanks' }],
  ])('%s → %o', (text, expected) => {
    expect(recognizeCommand(text)).toEqual(expected);
  });

  it.each(['help me with outlook', 'bonjour mon vpn ne marche pas', 'english keyboard layout', 'merci de réparer mon écran', 'merci mais ça marche toujours pas', 'thanks but it still fails', ''])(
    'leaves "%s" to understanding',
    (text) => {
      expect(recognizeCommand(text)).toBeUndefined();
    },
  );

  it('folds case, accents, apostrophes and punctuation', () => {
    expect(fold('  Ça NE marche PAS… l’écran !! ')).toBe("ca ne marche pas l'ecran");
  });
});

describe('renderPlainText', () => {
  it('numbers choices so the terminal can answer with a number', () => {
    expect(renderPlainText({ type: 'choices', text: 'Which one?', choices: [{ label: 'A', value: 'a' }, { label: 'B', value: 'b' }] })).toBe(
      'Which one?\n  1. A\n  2. B',
    );
  });

  it('keeps the words of Markdown and drops its marks', () => {
    expect(stripMarkdown('**Bold** and *it* with `code` and [a link](https://x.test)\n## Title')).toBe('Bold and it with code and a link\nTitle');
  });
});

describe('parseState', () => {
  it('replaces state that no longer parses with a fresh one', () => {
    expect(parseState({ lang: 'de', greeted: 'yes' })).toEqual({ greeted: false });
    expect(parseState(null)).toEqual({ greeted: false });
    expect(parseState({ lang: 'en', greeted: true })).toEqual({ lang: 'en', greeted: true });
  });
});
