import { describe, expect, it } from 'vitest';
import { loadServices } from '../../../src/catalog/services.ts';
import { assetTags, errorCodes, extractEntities, serviceMentions, ticketNumbers } from '../../../src/nlu/entities.ts';

describe('ticket numbers', () => {
  it.each([
    ['#1042', [1042]],
    ['status # 1042 ?', [1042]],
    ['ticket 1042', [1042]],
    ['où en est le ticket n° 1042', [1042]],
    ['le ticket no. 1042 et le #1043', [1042, 1043]],
    ['incident number 1042', [1042]],
    ['demande numéro 1042, ticket #1042', [1042]],
  ])('%s → %j', (text, expected) => {
    expect(ticketNumbers(text)).toEqual(expected);
  });

  it.each(['j’ai 2 écrans', 'erreur 1042', 'since 2024', 'ticket'])('finds none in %s', (text) => {
    expect(ticketNumbers(text)).toEqual([]);
  });
});

describe('asset tags', () => {
  it('finds CMDB-style tags, upper-cased, in order and once', () => {
    expect(assetTags('mon pc lt-004211 et la station DK-004224, encore LT-004211')).toEqual(['LT-004211', 'DK-004224']);
    expect(assetTags('imprimante PR-PAR-3-01 en panne')).toEqual(['PR-PAR-3-01']);
  });

  it('ignores hyphenated words, and tags without digits unless the CMDB knows them', () => {
    expect(assetTags('le wi-fi et le e-mail, le COVID-19')).toEqual([]);
    expect(assetTags('accès à APP-SAP')).toEqual([]);
    expect(assetTags('accès à APP-SAP', new Set(['APP-SAP']))).toEqual(['APP-SAP']);
  });
});

describe('error codes', () => {
  it.each([
    ['0x80070005 au démarrage', ['0x80070005']],
    ['AADSTS50076 when I sign in', ['AADSTS50076']],
    ['error 691 on the vpn', ['691']],
    ['erreur 809', ['809']],
    ["code d'erreur : 53003", ['53003']],
    ['Erreur E000-0001, remplacer le toner', ['E000-0001']],
    ['CAA20003 puis 0x8007000d', ['CAA20003', '0x8007000d']],
  ])('%s → %j', (text, expected) => {
    expect(errorCodes(text)).toEqual(expected);
  });

  it('does not take asset tags, ticket numbers or plain numbers for error codes', () => {
    expect(errorCodes('mon PC LT-004211 est lent depuis 3 jours, ticket #1042')).toEqual([]);
  });
});

describe('services of the catalogue', () => {
  const services = loadServices('config');

  it('are recognised by their keywords in either language, most mentioned first', () => {
    expect(serviceMentions('mot de passe oublié, compte verrouillé', services)).toEqual(['identity']);
    expect(serviceMentions('Outlook ne synchronise plus le calendrier', services)[0]).toBe('email');
    expect(serviceMentions('the VPN drops when working from home', services)).toContain('vpn');
    expect(serviceMentions('raconte-moi une blague', services)).toEqual([]);
  });

  it('come with the other entities in one call', () => {
    expect(extractEntities('ticket 1042 : erreur 809 sur le vpn de LT-004211', { services })).toEqual({
      ticketNumbers: [1042],
      assetTags: ['LT-004211'],
      services: ['vpn'],
      errorCodes: ['809'],
    });
  });
});
