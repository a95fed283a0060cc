/**
 * GLPI's legacy REST API (apirest.php, in GLPI 10 and 11) as Guichet calls it: one session opened
 * with the App-Token and the account's user token (`Authorization: user_token …`), reopened once
 * when GLPI answers ERROR_SESSION_TOKEN_INVALID (sessions expire with GLPI's session lifetime),
 * closed by `close()` (killSession). Answers are validated with zod; GLPI's errors arrive as
 * `["ERROR_X", "message"]` and become `GlpiRefused` (GLPI answered no) or
 * `connectors.glpi-unreachable` (no answer in time: the caller retries later).
 */
import { z } from 'zod';
import { GuichetError } from '../../core/errors.ts';
import { describeIssue } from '../../core/zod-issue.ts';

export interface GlpiClientOptions {
  /** Base URL of the API, ending with apirest.php (e.g. https://glpi.example.fr/apirest.php). */
  url: string;
  /** The API client's App-Token (Setup › General › API), when the client has one. */
  appToken?: string;
  /** The service account's API token (its preferences: "Remote access keys"). */
  userToken: string;
  /** How long one call may take, milliseconds (default 10 s). */
  timeoutMs?: number;
  fetch?: typeof fetch;
}

/** GLPI answered with an error: its code (ERROR_RIGHT_MISSING …), its message and the HTTP status. */
export class GlpiRefused extends GuichetError {
  constructor(
    readonly glpiCode: string,
    readonly glpiMessage: string,
    readonly status: number,
    what: string,
  ) {
    super('connectors.glpi-refused', `connectors: GLPI refused ${what}: ${glpiCode} (${status}) ${glpiMessage}`);
  }
}

export const isGlpiRefused = (err: unknown): err is GlpiRefused => err instanceof GlpiRefused;

/** True for failures worth retrying later (GLPI down, slow, or failing on its side). */
export function isTransient(err: unknown): boolean {
  if (err instanceof GlpiRefused) return err.status >= 500 || err.glpiCode === 'ERROR_SESSION_TOKEN_INVALID';
  return err instanceof GuichetError && err.code === 'connectors.glpi-unreachable';
}

const errorBody = z.tuple([z.string(), z.string()]).rest(z.unknown());
const sessionBody = z.object({ session_token: z.string().min(1) });
const addedBody = z.object({ id: z.number().int().positive(), message: z.string().optional() });

export type Query = Record<string, string | number | boolean>;

export class GlpiClient {
  private session: string | undefined;
  private readonly base: string;
  private readonly fetch: typeof fetch;

  constructor(private readonly options: GlpiClientOptions) {
    this.base = options.url.replace(/\/+$/, '');
    this.fetch = options.fetch ?? globalThis.fetch;
  }

  /** GET :itemtype/:id (404 → undefined). */
  async getItem<T>(itemtype: string, id: number, schema: z.ZodType<T>, query: Query = {}): Promise<T | undefined> {
    try {
      return this.parse(await this.call('GET', `${itemtype}/${id}`, { query }), schema, `${itemtype}/${id}`);
    } catch (err) {
      if (isGlpiRefused(err) && err.status === 404) return undefined;
      throw err;
    }
  }

  /** GET :itemtype (or :itemtype/:id/:sub_itemtype) with searchText, sort, order and range. */
  async getItems<T>(path: string, schema: z.ZodType<T>, query: Query = {}): Promise<T[]> {
    return this.parse(await this.call('GET', path, { query }), z.array(schema), path);
  }

  /** GET search/:itemtype with criteria (the search engine): rows by search option id. */
  async search(itemtype: string, query: Query): Promise<Record<string, unknown>[]> {
    const body = this.parse(await this.call('GET', `search/${itemtype}`, { query }), z.object({ data: z.array(z.record(z.string(), z.unknown())).optional() }), `search/${itemtype}`);
    return body.data ?? [];
  }

  /** POST :itemtype with `{"input": {...}}`: the new item's id (GLPI answers 201 `{"id", "message"}`). */
  async add(itemtype: string, input: Record<string, unknown>): Promise<number> {
    return this.parse(await this.call('POST', itemtype, { body: { input } }), addedBody, `POST ${itemtype}`).id;
  }

  /** PUT :itemtype/:id with `{"input": {...}}`. */
  async update(itemtype: string, id: number, input: Record<string, unknown>): Promise<void> {
    await this.call('PUT', `${itemtype}/${id}`, { body: { input: { id, ...input } } });
  }

  /** Ends the session (killSession); never throws. */
  async close(): Promise<void> {
    if (!this.session) return;
    const token = this.session;
    this.session = undefined;
    await this.raw('GET', 'killSession', { headers: { 'Session-Token': token } }).catch(() => undefined);
  }

  private async call(method: string, path: string, request: { query?: Query; body?: unknown }): Promise<unknown> {
    for (let attempt = 0; ; attempt++) {
      const token = await this.token();
      try {
        return await this.raw(method, path, { ...request, headers: { 'Session-Token': token } });
      } catch (err) {
        // An expired session is renewed once; a second refusal is GLPI's answer.
        if (attempt === 0 && isGlpiRefused(err) && err.glpiCode === 'ERROR_SESSION_TOKEN_INVALID') {
          this.session = undefined;
          continue;
        }
        throw err;
      }
    }
  }

  private async token(): Promise<string> {
    if (this.session) return this.session;
    const body = await this.raw('GET', 'initSession', { headers: { Authorization: `user_token ${this.options.userToken}` } });
    this.session = this.parse(body, sessionBody, 'initSession').session_token;
    return this.session;
  }

  private async raw(method: string, path: string, request: { query?: Query; body?: unknown; headers: Record<string, string> }): Promise<unknown> {
    const url = new URL(`${this.base}/${path}`);
    for (const [k, v] of Object.entries(request.query ?? {})) url.searchParams.set(k, String(v));
    const headers: Record<string, string> = { 'Content-Type': 'application/json', ...request.headers };
    if (this.options.appToken) headers['App-Token'] = this.options.appToken;
    let response: Response;
    try {
      response = await this.fetch(url, {
        method,
        headers,
        body: request.body === undefined ? undefined : JSON.stringify(request.body),
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 10_000),
      });
    } catch (err) {
      throw new GuichetError('connectors.glpi-unreachable', `connectors: GLPI at ${this.base} did not answer ${method} ${path} (${err instanceof Error ? err.message : String(err)})`, { cause: err });
    }
    const text = await response.text();
    const json: unknown = text ? safeJson(text) : null;
    if (response.ok) return json;
    const error = errorBody.safeParse(json);
    const [code, message] = error.success ? [error.data[0], error.data[1]] : ['HTTP_' + response.status, text.slice(0, 200)];
    throw new GlpiRefused(code, message, response.status, `${method} ${path}`);
  }

  private parse<T>(body: unknown, schema: z.ZodType<T>, what: string): T {
    const parsed = schema.safeParse(body);
    if (!parsed.success) throw new GuichetError('connectors.glpi-bad-answer', `connectors: GLPI's answer to ${what} is not as documented: ${describeIssue(parsed.error)}`);
    return parsed.data;
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    // Not JSON (a proxy's error page): kept as text, reported with the status.
    return text;
  }
}
