/** Request log lines carry the path without its query and with token-like segments masked (no personal data beyond ids). */
import { describe, expect, it } from 'vitest';
import { loggedPath } from '../../../src/server/request-log.ts';

describe('loggedPath', () => {
  it('drops the query string', () => {
    expect(loggedPath('/api/web/notices?after=2026-12-06T10:00:00Z&email=alice@example.org')).toBe('/api/web/notices');
  });

  it('masks token-like segments (reset links, visitor ids) and keeps short ones (ticket numbers, names)', () => {
    expect(loggedPath('/portal/reset/Zx8Qm2LrT0aPq9sVb3NcYw4KdE7')).toBe('/portal/reset/:token');
    expect(loggedPath('/portal/tickets/1042')).toBe('/portal/tickets/1042');
    expect(loggedPath('/slack/events')).toBe('/slack/events');
  });
});
