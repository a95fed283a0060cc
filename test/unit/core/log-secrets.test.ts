import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { SECRET_MASK } from '../../../src/core/secrets.ts';
import { createLogger } from '../../../src/log.ts';

describe('the logger', () => {
  it('masks secrets in the message and in every string of the logged object', () => {
    const lines: string[] = [];
    const log = createLogger('debug', new Writable({ write: (chunk, _e, done) => (lines.push(String(chunk)), done()) }));
    log.info({ text: "mon mdp c'est Soleil2024! ça marche pas", nested: { list: ['OTP: 991234'] }, count: 3 }, 'relayed: my password is hunter2');
    log.debug('token ghp_16C7e42F292c6912E7710c838347Ae178B4a seen');
    const [first, second] = lines.map((l) => JSON.parse(l));
    expect(first).toMatchObject({ text: `mon mdp c'est ${SECRET_MASK} ça marche pas`, nested: { list: [`OTP: ${SECRET_MASK}`] }, count: 3, msg: `relayed: my password is ${SECRET_MASK}` });
    expect(second.msg).toBe(`token ${SECRET_MASK} seen`);
    expect(lines.join('')).not.toMatch(/Soleil2024|991234|hunter2|ghp_/);
  });

  it('still redacts the named secret fields', () => {
    const lines: string[] = [];
    const log = createLogger('info', new Writable({ write: (chunk, _e, done) => (lines.push(String(chunk)), done()) }));
    log.info({ config: { password: 'plain' } }, 'starting');
    expect(JSON.parse(lines[0]!).config.password).toBe('[redacted]');
  });
});
