import { describe, expect, it } from 'vitest';
import { parseTicketCommand } from '../../../src/ticketing/chat.ts';

describe('ticket commands typed in chat', () => {
  it.each([
    ['my tickets', { kind: 'list', all: false }],
    ['Mes tickets', { kind: 'list', all: false }],
    ['où en sont mes demandes ?', { kind: 'list', all: false }],
    ['all my tickets', { kind: 'list', all: true }],
    ['status #1042', { kind: 'status', number: 1042 }],
    ['statut du ticket 1042', { kind: 'status', number: 1042 }],
    ['où en est le 1042 ?', { kind: 'status', number: 1042 }],
    ['open a ticket: my screen flickers', { kind: 'open', text: 'my screen flickers' }],
    ['ouvrir un ticket : mon écran clignote', { kind: 'open', text: 'mon écran clignote' }],
    ['open a ticket', { kind: 'open', text: '' }],
    ['add to #1042: the error is 0x80070005', { kind: 'add', number: 1042, text: 'the error is 0x80070005' }],
    ['ajouter au 1042 : ça arrive aussi sur l’écran 2', { kind: 'add', number: 1042, text: 'ça arrive aussi sur l’écran 2' }],
    // « comment » ("how" in French, "comment" in English) is no help request here.
    ['add to #1042: comment ça marche pour le bac 2 ?', { kind: 'add', number: 1042, text: 'comment ça marche pour le bac 2 ?' }],
    ['add a comment to #1042: tray 2 is empty', { kind: 'add', number: 1042, text: 'tray 2 is empty' }],
    ['comment on #1042: tray 2 is empty', { kind: 'add', number: 1042, text: 'tray 2 is empty' }],
    ['ajouter un commentaire au 1042 : le bac 2 est vide', { kind: 'add', number: 1042, text: 'le bac 2 est vide' }],
    ['Ajouter un commentaire sur le ticket 1042 : le bac', { kind: 'add', number: 1042, text: 'le bac' }],
    ['escalate #1042: client demo at 2pm', { kind: 'escalate', number: 1042, reason: 'client demo at 2pm' }],
    ['escalader le ticket 1042', { kind: 'escalate', number: 1042, reason: '' }],
    ['#1042 fixed', { kind: 'confirm', number: 1042, fixed: true }],
    ['#1042 not fixed', { kind: 'confirm', number: 1042, fixed: false }],
    ['#1042 réglé', { kind: 'confirm', number: 1042, fixed: true }],
    ['#1042 pas réglé', { kind: 'confirm', number: 1042, fixed: false }],
    ['#1042 approve', { kind: 'approve', number: 1042, approved: true }],
    ['#1042 refuser', { kind: 'approve', number: 1042, approved: false }],
  ])('"%s"', (text, expected) => {
    expect(parseTicketCommand(text)).toEqual(expected);
  });

  it.each(['my vpn is broken', 'ticket', 'status', 'I fixed my printer', 'open the door'])('leaves "%s" to others', (text) => {
    expect(parseTicketCommand(text)).toBeUndefined();
  });
});
