/**
 * A local GLPI answering as apirest.md describes the legacy REST API (GLPI 10 and 11), on
 * 127.0.0.1 and a random port, recording every request for contract assertions.
 *
 * - initSession with `Authorization: user_token …` (and App-Token when set) → `{session_token}`;
 *   killSession; every other call needs a live Session-Token, else 401
 *   `["ERROR_SESSION_TOKEN_INVALID", …]` (`expireSessions()` ends them all, as GLPI's lifetime does).
 * - GET :itemtype/:id (404 `["ERROR_ITEM_NOT_FOUND", …]`), GET :itemtype with searchText[field]
 *   (LIKE, `^`/`$` anchors), range, GET :itemtype/:id/:sub_itemtype, GET search/:itemtype with
 *   criteria (equals, contains, morethan), forcedisplay and sort (Ticket: 2 id, 19 date_mod;
 *   User: 2 id, 5 email).
 * - POST :itemtype `{"input": {...}}` → 201 `{"id", "message"}`; PUT :itemtype/:id → 200
 *   `[{"<id>": true, "message": ""}]`; a body without `input` → 400 `["ERROR_BAD_ARRAY", …]`.
 * - Faults: `down` (connections dropped), `delayMs`, `refuse(...)` (an error answer), and
 *   `loseAnswers` (the change is made, the answer never arrives: a timeout after the write).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: { sessionToken?: string; appToken?: string; authorization?: string; contentType?: string };
  body: unknown;
}

type Item = Record<string, unknown> & { id: number };

const SEARCH_FIELDS: Record<string, Record<string, string>> = {
  Ticket: { '1': 'name', '2': 'id', '12': 'status', '19': 'date_mod' },
  User: { '1': 'name', '2': 'id', '5': 'email' },
};

export class FakeGlpi {
  readonly requests: RecordedRequest[] = [];
  readonly items = new Map<string, Map<number, Item>>();
  url = '';
  down = false;
  delayMs = 0;
  /** Calls whose change is made but whose answer is dropped (matched on "METHOD itemtype"). */
  loseAnswers: string[] = [];
  private refusals: { match: string; status: number; code: string; message: string; times: number }[] = [];
  private sessions = new Set<string>();
  private nextSession = 1;
  private clock = Date.parse('2026-12-07T09:00:00Z');
  private server: Server | undefined;

  constructor(readonly tokens: { appToken?: string; userToken: string } = { appToken: 'app-token-1', userToken: 'user-token-1' }) {}

  async start(): Promise<string> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/apirest.php`;
    return this.url;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  expireSessions(): void {
    this.sessions.clear();
  }

  /** The next `times` calls matching "METHOD path-prefix" answer this error. */
  refuse(match: string, status: number, code: string, message: string, times = Infinity): void {
    this.refusals.push({ match, status, code, message, times });
  }

  clearRefusals(): void {
    this.refusals = [];
  }

  /** GLPI's "now" as it writes dates (one second later at every change). */
  now(): string {
    this.clock += 1_000;
    return new Date(this.clock).toISOString().slice(0, 19).replace('T', ' ');
  }

  seed(itemtype: string, fields: Record<string, unknown>): Item {
    const table = this.table(itemtype);
    const id = (fields.id as number | undefined) ?? Math.max(0, ...table.keys()) + 1;
    const item: Item = { ...fields, id, date_mod: this.now() };
    table.set(id, item);
    if (typeof item.items_id === 'number' && item.itemtype === 'Ticket') this.touch(item.items_id);
    if (typeof item.tickets_id === 'number') this.touch(item.tickets_id);
    return item;
  }

  /** What a technician does in GLPI's interface. */
  technicianFollowup(ticketId: number, content: string, isPrivate = false): Item {
    return this.seed('ITILFollowup', { itemtype: 'Ticket', items_id: ticketId, content, is_private: isPrivate ? 1 : 0, users_id: 7 });
  }

  technicianSolution(ticketId: number, content: string): Item {
    const solution = this.seed('ITILSolution', { itemtype: 'Ticket', items_id: ticketId, content, status: 2, users_id: 7 });
    this.update('Ticket', ticketId, { status: 5 });
    return solution;
  }

  /** The technician closes (6) or solves (5) the ticket without a solution to approve. */
  technicianClose(ticketId: number, status: 5 | 6 = 6): void {
    this.update('Ticket', ticketId, { status });
  }

  /** The technician assigns the ticket to another group (GLPI replaces the assigned Group_Ticket). */
  technicianAssignGroup(ticketId: number, groupId: number): Item {
    const table = this.table('Group_Ticket');
    for (const row of [...table.values()]) if (row.tickets_id === ticketId && row.type === 2) table.delete(row.id);
    return this.seed('Group_Ticket', { tickets_id: ticketId, groups_id: groupId, type: 2 });
  }

  update(itemtype: string, id: number, fields: Record<string, unknown>): void {
    const item = this.table(itemtype).get(id);
    if (!item) throw new Error(`fake GLPI: no ${itemtype} ${id}`);
    Object.assign(item, fields, { date_mod: this.now() });
  }

  all(itemtype: string): Item[] {
    return [...this.table(itemtype).values()].sort((a, b) => a.id - b.id);
  }

  /** Recorded calls other than session handling, as "METHOD path". */
  calls(): string[] {
    return this.requests.filter((r) => !['initSession', 'killSession'].includes(r.path)).map((r) => `${r.method} ${r.path}`);
  }

  private table(itemtype: string): Map<number, Item> {
    let table = this.items.get(itemtype);
    if (!table) this.items.set(itemtype, (table = new Map()));
    return table;
  }

  private touch(ticketId: number): void {
    const ticket = this.table('Ticket').get(ticketId);
    if (ticket) ticket.date_mod = this.now();
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (this.down) {
      req.socket.destroy();
      return;
    }
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', 'http://fake');
    const path = url.pathname.replace(/^\/apirest\.php\/?/, '').replace(/\/$/, '');
    const recorded: RecordedRequest = {
      method: req.method ?? 'GET',
      path,
      query: Object.fromEntries(url.searchParams),
      headers: { sessionToken: header(req, 'session-token'), appToken: header(req, 'app-token'), authorization: header(req, 'authorization'), contentType: header(req, 'content-type') },
      body: raw ? JSON.parse(raw) : undefined,
    };
    this.requests.push(recorded);
    if (this.delayMs) await new Promise((r) => setTimeout(r, this.delayMs));
    const [status, body] = this.answer(recorded);
    const lose = this.loseAnswers.indexOf(`${recorded.method} ${path}`);
    if (lose >= 0) {
      this.loseAnswers.splice(lose, 1);
      req.socket.destroy();
      return;
    }
    res.writeHead(status, { 'Content-Type': 'application/json; charset=UTF-8' });
    res.end(body === undefined ? '' : JSON.stringify(body));
  }

  private answer(r: RecordedRequest): [number, unknown] {
    if (this.tokens.appToken && r.headers.appToken !== this.tokens.appToken) return [400, ['ERROR_WRONG_APP_TOKEN_PARAMETER', 'parameter app_token seems wrong']];
    if (r.path === 'initSession') {
      if (r.headers.authorization !== `user_token ${this.tokens.userToken}`) return [401, ['ERROR_GLPI_LOGIN_USER_TOKEN', 'parameter user_token seems invalid']];
      const token = `session-${this.nextSession++}`;
      this.sessions.add(token);
      return [200, { session_token: token }];
    }
    if (!r.headers.sessionToken) return [400, ['ERROR_SESSION_TOKEN_MISSING', 'parameter session_token is missing or empty']];
    if (!this.sessions.has(r.headers.sessionToken)) return [401, ['ERROR_SESSION_TOKEN_INVALID', 'session_token seems invalid']];
    if (r.path === 'killSession') {
      this.sessions.delete(r.headers.sessionToken);
      return [200, undefined];
    }
    const refusal = this.refusals.find((f) => `${r.method} ${r.path}`.startsWith(f.match) && f.times > 0);
    if (refusal) {
      refusal.times--;
      return [refusal.status, [refusal.code, refusal.message]];
    }
    if (r.method !== 'GET' && r.body !== undefined && (typeof r.body !== 'object' || r.body === null || !('input' in r.body))) return [400, ['ERROR_BAD_ARRAY', 'input parameter must be an array of objects']];
    const parts = r.path.split('/');
    if (r.method === 'GET' && parts[0] === 'search') return [200, this.search(parts[1]!, r.query)];
    if (r.method === 'GET') return this.get(parts, r.query);
    const input = (r.body as { input: Record<string, unknown> }).input;
    if (r.method === 'POST' && parts.length === 1) {
      // GLPI fills what the input leaves out (a new ticket is "new", medium urgency and impact).
      const defaults = parts[0] === 'Ticket' ? { status: 1, urgency: 3, impact: 3, is_deleted: 0 } : {};
      const item = this.seed(parts[0]!, { ...defaults, ...input });
      // GLPI turns a new ticket's _groups_id_assign into its assigned group (Group_Ticket, type 2).
      if (parts[0] === 'Ticket' && typeof input._groups_id_assign === 'number') this.seed('Group_Ticket', { tickets_id: item.id, groups_id: input._groups_id_assign, type: 2 });
      return [201, { id: item.id, message: '' }];
    }
    if (r.method === 'PUT' && parts.length === 2) {
      const id = Number(parts[1]);
      if (!this.table(parts[0]!).has(id)) return [400, ['ERROR_GLPI_UPDATE', 'Item not found']];
      const { id: _id, ...fields } = input;
      this.update(parts[0]!, id, fields);
      return [200, [{ [String(id)]: true, message: '' }]];
    }
    return [400, ['ERROR_METHOD_NOT_ALLOWED', 'Method not allowed']];
  }

  private get(parts: string[], query: Record<string, string>): [number, unknown] {
    const [itemtype, id, sub] = parts as [string, string | undefined, string | undefined];
    // Sub-items: linked by itemtype/items_id (follow-ups, solutions, documents) or by tickets_id (Group_Ticket, Ticket_User).
    if (sub) return [200, this.all(sub).filter((i) => (i.itemtype === itemtype && i.items_id === Number(id)) || (itemtype === 'Ticket' && i.tickets_id === Number(id)))];
    if (id) {
      const item = this.table(itemtype).get(Number(id));
      return item ? [200, item] : [404, ['ERROR_ITEM_NOT_FOUND', 'Item not found']];
    }
    const filters = Object.entries(query).filter(([k]) => k.startsWith('searchText['));
    const rows = this.all(itemtype).filter((item) => filters.every(([k, v]) => like(String(item[k.slice(11, -1)] ?? ''), v)));
    return [200, rows];
  }

  private search(itemtype: string, query: Record<string, string>): unknown {
    const fields = SEARCH_FIELDS[itemtype] ?? {};
    const criteria: { field: string; searchtype: string; value: string }[] = [];
    for (let i = 0; query[`criteria[${i}][field]`] !== undefined; i++) {
      criteria.push({ field: query[`criteria[${i}][field]`]!, searchtype: query[`criteria[${i}][searchtype]`] ?? 'contains', value: query[`criteria[${i}][value]`] ?? '' });
    }
    let rows = this.all(itemtype).filter((item) =>
      criteria.every((c) => {
        const value = String(item[fields[c.field] ?? ''] ?? '');
        if (c.searchtype === 'equals') return value === c.value;
        if (c.searchtype === 'morethan') return value > c.value;
        return like(value, c.value);
      }),
    );
    const sort = fields[query.sort ?? '2'] ?? 'id';
    rows = rows.sort((a, b) => (String(a[sort]) < String(b[sort]) ? -1 : String(a[sort]) > String(b[sort]) ? 1 : a.id - b.id));
    if (query.order === 'DESC') rows.reverse();
    const display = new Set(['2', ...Object.entries(query).filter(([k]) => k.startsWith('forcedisplay[')).map(([, v]) => v)]);
    const data = rows.map((item) => Object.fromEntries([...display].map((f) => [f, item[fields[f] ?? ''] ?? null])));
    return { totalcount: data.length, count: data.length, data };
  }
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** GLPI's searchText: LIKE %value%, with ^ and $ anchoring the start and end. */
function like(value: string, pattern: string): boolean {
  const start = pattern.startsWith('^');
  const end = pattern.endsWith('$');
  const core = pattern.slice(start ? 1 : 0, end ? -1 : undefined).toLowerCase();
  const v = value.toLowerCase();
  if (start && end) return v === core;
  if (start) return v.startsWith(core);
  if (end) return v.endsWith(core);
  return v.includes(core);
}
