/**
 * One log line per request, with a request id (`reqId`: the caller's `X-Request-Id` when it is a plain
 * token, else a fresh one, echoed in the response). The path is logged without its query string, and
 * token-like segments (reset links, visitor ids) are masked: no personal data beyond ids.
 * Writes (POST…) and failures are logged at info or above; reads that succeed at debug (the chat page
 * polls, probes scrape).
 */
import { randomUUID } from 'node:crypto';
import type express from 'express';
import { withLogContext, type Logger } from '../log.ts';

const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;
const TOKEN_SEGMENT = /^[A-Za-z0-9_-]{20,}$/;

/** The path of `url` without its query, token-like segments masked. */
export function loggedPath(url: string): string {
  const path = url.split('?')[0] ?? '';
  return path
    .split('/')
    .map((segment) => (TOKEN_SEGMENT.test(segment) ? ':token' : segment))
    .join('/');
}

export function requestLog(log: Logger): express.RequestHandler {
  return (req, res, next) => {
    const given = req.get('x-request-id');
    const reqId = given && REQUEST_ID.test(given) ? given : randomUUID();
    res.locals.reqId = reqId;
    res.setHeader('X-Request-Id', reqId);
    const startedAt = performance.now();
    res.on('finish', () => {
      const status = res.statusCode;
      const level = status >= 500 ? 'warn' : req.method !== 'GET' && req.method !== 'HEAD' ? 'info' : status >= 400 ? 'info' : 'debug';
      log[level]({ reqId, method: req.method, path: loggedPath(req.originalUrl), status, ms: Math.round(performance.now() - startedAt) }, 'request');
    });
    withLogContext({ reqId }, next);
  };
}
