import express from 'express';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ReplayCache } from '../../../src/channels/kit/replay-cache.ts';
import { MAX_SKEW_SECONDS, checkSignature, signature, slackRequestGuard } from '../../../src/channels/slack/verify.ts';
import { slackSignature } from '../../helpers/slack-signing.ts';
import { listenLocal, type Listening } from '../../helpers/http.ts';

const SECRET = 'unit-secret';
const NOW = 1_800_000_000;
const BODY = '{"type":"event_callback","event_id":"Ev1"}';
const signed = (ts: number, body = BODY) => ({ timestamp: String(ts), signature: signature(SECRET, ts, body), body });

describe('Slack signature check', () => {
  it('agrees with the test helper’s signing', () => {
    expect(signature(SECRET, NOW, BODY)).toBe(slackSignature(SECRET, NOW, BODY));
  });

  it('accepts a correct v0 signature within ±5 minutes, edges included', () => {
    for (const ts of [NOW, NOW - MAX_SKEW_SECONDS, NOW + MAX_SKEW_SECONDS]) {
      expect(checkSignature(SECRET, signed(ts), NOW)).toEqual({ ok: true, timestamp: ts });
    }
  });

  it.each([
    ['missing signature', { ...signed(NOW), signature: undefined }, 'missing-headers'],
    ['missing timestamp', { ...signed(NOW), timestamp: undefined }, 'missing-headers'],
    ['a timestamp 301 s old', signed(NOW - 301), 'stale'],
    ['a timestamp 301 s in the future', signed(NOW + 301), 'future'],
    ['a timestamp in milliseconds', signed(NOW * 1000), 'bad-timestamp'],
    ['a non-numeric timestamp', { ...signed(NOW), timestamp: '1.8e9' }, 'bad-timestamp'],
    ['a v1= prefix', { ...signed(NOW), signature: signed(NOW).signature.replace('v0=', 'v1=') }, 'bad-signature-format'],
    ['upper-case hex', { ...signed(NOW), signature: signed(NOW).signature.toUpperCase().replace('V0=', 'v0=') }, 'bad-signature-format'],
    ['a truncated signature', { ...signed(NOW), signature: signed(NOW).signature.slice(0, -2) }, 'bad-signature-format'],
    ['a body changed by one byte', { ...signed(NOW), body: BODY.replace('Ev1', 'Ev2') }, 'signature-mismatch'],
    ['a signature of another timestamp', { ...signed(NOW), timestamp: String(NOW + 1) }, 'signature-mismatch'],
    ['another secret', { ...signed(NOW), signature: signature('other', NOW, BODY) }, 'signature-mismatch'],
  ])('refuses %s', (_name, request, reason) => {
    expect(checkSignature(SECRET, request, NOW)).toEqual({ ok: false, reason });
  });
});

describe('Slack replay cache', () => {
  it('refuses a signature seen within its window, accepts it again once expired', () => {
    const cache = new ReplayCache();
    expect(cache.remember('sig', NOW + 300, NOW)).toBe(true);
    expect(cache.remember('sig', NOW + 300, NOW + 300)).toBe(false);
    expect(cache.remember('sig', NOW + 300, NOW + 301)).toBe(true);
  });

  it('stays bounded: expired entries first, then the oldest', () => {
    const cache = new ReplayCache(10);
    for (let i = 0; i < 10; i += 1) cache.remember(`old-${i}`, NOW - 1, NOW - 10);
    cache.remember('fresh', NOW + 300, NOW);
    expect(cache.size).toBe(1);
    for (let i = 0; i < 50; i += 1) cache.remember(`live-${i}`, NOW + 300, NOW);
    expect(cache.size).toBeLessThanOrEqual(10);
    // The most recent ones are still refused.
    expect(cache.remember('live-49', NOW + 300, NOW)).toBe(false);
  });
});

describe('Slack request guard (Express)', () => {
  let server: Listening;
  let url = '';
  let now = NOW;
  const seen: string[] = [];

  beforeAll(async () => {
    const app = express();
    app.post('/slack', ...slackRequestGuard({ signingSecret: SECRET, log: pino({ level: 'silent' }), nowSeconds: () => now, maxBody: '1kb' }), (req, res) => {
      seen.push(String((req as unknown as { rawBody: Buffer }).rawBody));
      res.status(200).end();
    });
    server = await listenLocal(app);
    url = `${server.url}/slack`;
  });

  afterAll(() => server.close());

  const post = (body: string, headers: Record<string, string>) => fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
  const headersFor = (ts: number, body = BODY) => ({ 'x-slack-request-timestamp': String(ts), 'x-slack-signature': signature(SECRET, ts, body) });

  it('passes a signed request with its raw body, and refuses its exact replay', async () => {
    now = NOW;
    const headers = headersFor(NOW);
    expect((await post(BODY, headers)).status).toBe(200);
    expect(seen.at(-1)).toBe(BODY);
    expect((await post(BODY, headers)).status).toBe(401);
    // The same body signed again later (as Slack's retries are) is a new request.
    now = NOW + 60;
    expect((await post(BODY, headersFor(NOW + 60))).status).toBe(200);
  });

  it('refuses bad requests with 401 and an empty body, before the handler', async () => {
    now = NOW;
    const count = seen.length;
    for (const [body, headers] of [
      [BODY, {}],
      [BODY + ' ', headersFor(NOW)],
      [BODY, headersFor(NOW - 301)],
      [BODY, headersFor(NOW + 301)],
    ] as [string, Record<string, string>][]) {
      const response = await post(body, headers);
      expect(response.status).toBe(401);
      expect(await response.text()).toBe('');
    }
    expect(seen.length).toBe(count);
  });

  it('answers 413 to an oversized body', async () => {
    const body = JSON.stringify({ text: 'x'.repeat(2_000) });
    expect((await post(body, headersFor(NOW, body))).status).toBe(413);
  });
});
