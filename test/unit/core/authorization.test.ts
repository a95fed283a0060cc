/** The authorization table's own rules, and docs/security.md rendering it exactly. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ACTIONS, allows, authorizationTableMarkdown, globalRoles, mayGlobally, mayOnTicket, ROLES, rolesOnTicket, type Action } from '../../../src/core/authorization.ts';

const rows = Object.entries(ACTIONS) as [Action, (typeof ACTIONS)[Action]][];
const cells = (action: Action) => ROLES.filter((r) => allows([r], action));
const facts = { requesterId: 'alice', memberOfGroup: false, managerOfGroup: false, deskLead: false };

describe('the authorization table', () => {
  it('is rendered exactly in docs/security.md', () => {
    expect(readFileSync('docs/security.md', 'utf8')).toContain(authorizationTableMarkdown());
  });

  it('lets only the requester add information, escalate, confirm or refuse a resolution and answer the survey', () => {
    for (const action of ['ticket.add-info', 'ticket.escalate', 'ticket.confirm', 'ticket.rate'] as const) expect(cells(action)).toEqual(['requester']);
  });

  it('keeps another group’s agent away from every ticket action, reading included', () => {
    for (const [action, spec] of rows) if (spec.on === 'ticket') expect(allows(['other-agent'], action), action).toBe(false);
  });

  it('gives rows on no ticket the same cells to the roles a person has there (their own role)', () => {
    for (const [action, spec] of rows) {
      if (spec.on !== 'none') continue;
      const c = cells(action);
      expect(c.includes('requester'), action).toBe(c.includes('employee'));
      expect(c.includes('group-manager'), action).toBe(c.includes('employee'));
      expect(c.includes('desk-lead'), action).toBe(c.includes('employee'));
      expect(c.includes('other-agent'), action).toBe(c.includes('group-agent'));
    }
  });

  it('gives the console guards that share a check the same cells', () => {
    expect(cells('config.read')).toEqual(cells('knowledge.curate'));
    expect(cells('incidents.manage')).toEqual(cells('queue.read'));
    expect(cells('analytics.read')).toEqual(cells('queue.read'));
  });

  it('finds a person’s roles from the facts, several at once', () => {
    expect(rolesOnTicket({ id: 'alice', role: 'employee' }, facts)).toEqual(['employee', 'requester']);
    expect(rolesOnTicket({ id: 'camille', role: 'agent' }, { ...facts, memberOfGroup: true })).toEqual(['group-agent']);
    expect(rolesOnTicket({ id: 'hugo', role: 'agent' }, facts)).toEqual(['other-agent']);
    expect(rolesOnTicket({ id: 'claire', role: 'admin' }, { ...facts, managerOfGroup: true, deskLead: true })).toEqual(['admin', 'group-manager', 'desk-lead']);
    expect(rolesOnTicket({ id: 'system', role: 'admin' }, facts)).toEqual(['system']);
    expect(globalRoles({ id: 'hugo', role: 'agent' })).toEqual(['other-agent']);
    // An agent who asked for the ticket confirms it as its requester; an admin who did not cannot.
    expect(mayOnTicket({ id: 'alice', role: 'agent' }, { ...facts, memberOfGroup: true }, 'ticket.confirm')).toBe(true);
    expect(mayOnTicket({ id: 'claire', role: 'admin' }, facts, 'ticket.confirm')).toBe(false);
    expect(mayGlobally({ id: 'alice', role: 'employee' }, 'queue.read')).toBe(false);
    expect(mayGlobally({ id: 'claire', role: 'admin' }, 'knowledge.curate')).toBe(true);
  });
});
