/** config/glpi-mapping.yml's validation, and the text conversions between chat and GLPI's rich text. */
import { describe, expect, it } from 'vitest';
import { htmlOf, plainText } from '../../../src/connectors/glpi/context.ts';
import { loadMapping, parseMapping } from '../../../src/connectors/glpi/mapping.ts';

const statuses = { 1: 'new', 2: 'assigned', 3: 'in-progress', 4: 'pending-user', 5: 'resolved', 6: 'closed' };

describe('the GLPI mapping', () => {
  it('loads the shipped config/glpi-mapping.yml', () => {
    const mapping = loadMapping('config/glpi-mapping.yml');
    expect(mapping.level(1)).toBe(4);
    expect(mapping.status(4)).toBe('pending-user');
    expect(mapping.category('a category nobody mapped')).toBe(0);
    expect(mapping.group('workplace')).toBeUndefined();
  });

  it('maps categories with a default, groups, levels and statuses', () => {
    const mapping = parseMapping({ categories: { wifi: 7, default: 2 }, groups: { network: 9 }, levels: { 1: 5, 2: 3, 3: 1 }, statuses }, 'm.yml');
    expect([mapping.category('wifi'), mapping.category('printer'), mapping.group('network'), mapping.group(null), mapping.level(3), mapping.status(6), mapping.status(9)]).toEqual([7, 2, 9, undefined, 1, 'closed', undefined]);
  });

  it('names the file and the field of a mistake', () => {
    const bad = (raw: unknown) => {
      try {
        parseMapping(raw, 'config/glpi-mapping.yml');
      } catch (err) {
        return err;
      }
      return undefined;
    };
    expect(bad({ levels: { 1: 9, 2: 3, 3: 1 }, statuses })).toMatchObject({ code: 'connectors.glpi-mapping', message: expect.stringMatching(/^connectors: config\/glpi-mapping\.yml: "levels\.1" /) });
    expect(bad({ levels: { 1: 4, 2: 3, 3: 2 }, statuses: { ...statuses, 5: 'done' } })).toMatchObject({ message: expect.stringContaining('"statuses.5"') });
    expect(bad({ levels: { 1: 4, 2: 3, 3: 2 }, statuses, categories: { wifi: 'twelve' } })).toMatchObject({ message: expect.stringContaining('"categories.wifi"') });
    expect(bad({ levels: { 1: 4, 2: 3, 3: 2 }, statuses, colour: 'blue' })).toMatchObject({ message: expect.stringContaining('config/glpi-mapping.yml') });
  });

  it('reads an unreadable file as a coded error naming it', () => {
    expect(() => loadMapping('config/no-such-mapping.yml')).toThrow(expect.objectContaining({ code: 'connectors.glpi-mapping', message: expect.stringContaining('config/no-such-mapping.yml') }));
  });
});

describe('rich text', () => {
  it("reads GLPI's HTML, encoded once more by GLPI 10, as plain text", () => {
    expect(plainText('&lt;p&gt;Bonjour,&lt;br&gt;essayez &amp;quot;Redémarrer&amp;quot;&lt;/p&gt;&lt;p&gt;Merci&lt;/p&gt;')).toBe('Bonjour,\nessayez "Redémarrer"\n\nMerci');
    expect(plainText('<p>a &lt;b&gt; is text</p>')).toBe('a <b> is text');
  });

  it('writes chat text as escaped HTML paragraphs', () => {
    expect(htmlOf('<script>x</script> & co\nline 2\n\nnext')).toBe('<p>&lt;script&gt;x&lt;/script&gt; &amp; co<br>line 2</p><p>next</p>');
  });
});
