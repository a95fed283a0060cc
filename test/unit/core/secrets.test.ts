import { describe, expect, it } from 'vitest';
import { maskDeep, maskSecrets, SECRET_MASK as M, type SecretKind } from '../../../src/core/secrets.ts';

/** [what is typed, what is kept, the kinds seen]. */
const MASKED: Array<[string, string, SecretKind[]]> = [
  ["mon mdp c'est Soleil2024! ça marche pas", `mon mdp c'est ${M} ça marche pas`, ['password']],
  ['my password is hunter2', `my password is ${M}`, ['password']],
  ['My password is hunter2, can you reset it?', `My password is ${M} can you reset it?`, ['password']],
  ['le code reçu est 482913', `le code reçu est ${M}`, ['one-time-code']],
  ['le code reçu par SMS: 482 913', `le code reçu par SMS: ${M}`, ['one-time-code']],
  ['my verification code is 123456', `my verification code is ${M}`, ['one-time-code']],
  ['OTP: 991234', `OTP: ${M}`, ['one-time-code']],
  ['pwd: Azerty!9', `pwd: ${M}`, ['password']],
  ['password=Tr0ub4dor&3 in the config', `password=${M} in the config`, ['password']],
  ['mon mot de passe Windows est "Printemps#12"', `mon mot de passe Windows est "${M}"`, ['password']],
  ['mon nouveau mot de passe : Bonjour123', `mon nouveau mot de passe : ${M}`, ['password']],
  ['mon code pin est 4821', `mon code pin est ${M}`, ['password']],
  ['mot de passe = soleil', `mot de passe = ${M}`, ['password']],
  ['my password is soleil', `my password is ${M}`, ['password']],
  [
    'here is my token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U ok',
    `here is my token ${M} ok`,
    ['token'],
  ],
  ['key AKIAIOSFODNN7EXAMPLE leaked', `key ${M} leaked`, ['token']],
  ['aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', `aws_secret_access_key = ${M}`, ['token']],
  ['ghp_16C7e42F292c6912E7710c838347Ae178B4a does not work', `${M} does not work`, ['token']],
  ['xoxb-17653672481-19874698323-pdFZKVeTuE8sk7oOcBrzbqgy', M, ['token']],
  ['Authorization: Bearer abc123def456ghi789', `Authorization: Bearer ${M}`, ['token']],
  ['api_key: 9f8e7d6c5b4a3210zz', `api_key: ${M}`, ['token']],
  ['-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA\n-----END RSA PRIVATE KEY-----', M, ['private-key']],
  ['the secret is 3f786850e387550fdab836ed7e6dc881de23001b', `the secret is ${M}`, ['token']],
  ['blob dGhpcyBpcyBhIHZlcnkgbG9uZyBzZWNyZXQgdmFsdWUgMTIzNDU2Nzg5MA==', `blob ${M}`, ['token']],
  ['https://jdupont:S3cret!@intranet.local/x', `https://jdupont:${M}@intranet.local/x`, ['password']],
  ['my password is hunter2 and the code received is 884422', `my password is ${M} and the code received is ${M}`, ['one-time-code', 'password']],
];

/** Messages with no secret: kept exactly as typed. */
const KEPT: string[] = [
  'mot de passe oublié',
  "j'ai oublié mon mot de passe",
  'mon mot de passe est expiré',
  'mon mot de passe est oublié depuis les vacances',
  'my password is not working',
  'my password is expired',
  'Windows says my password is wrong',
  'mon mdp est bloqué',
  'statut #1042',
  'ticket #1042 toujours pas résolu',
  'Outlook error 0x80070005 when I open my calendar',
  'erreur 809 sur le VPN',
  'le code erreur est 809',
  'code erreur 0x80070005',
  'rdv le 2026-12-06 à 14:30',
  'appelez-moi au 06 12 34 56 78',
  'my phone is +33 6 12 34 56 78',
  'le code reçu est invalide',
  'the password reset code I got never arrived',
  "C:/Users/jdupont/AppData/Local/Microsoft/Outlook/offline",
  'https://intranet.example/portal/it/password-reset-self-service',
  'mon mot de passe ne marche plus depuis ce matin',
  'le mot de passe : je ne le connais pas',
  'basic troubleshooting done already',
  'token expired',
  'je passe demain au support',
  // Found by bench/secrets.ts in the benchmark's messages and articles.
  'my phone with the old password is locking my account',
  'If the new password is refused, choose a longer one.',
  'asks for your username and password: enter them, tick the option',
  'Your iPhone is still using your old password: signing in again on the phone',
  "I haven't received my password\nnew starter, what is my username",
  'my password is refused',
  'mfa code: AADSTS50076',
  'le code MFA affiche erreur 500121',
  'the mfa code is rejected',
  'le code mfa ne marche pas',
];

describe('maskSecrets', () => {
  it.each(MASKED)('masks %j', (typed, kept, kinds) => {
    const masked = maskSecrets(typed);
    expect(masked.text).toBe(kept);
    expect([...masked.kinds].sort()).toEqual([...kinds].sort());
  });

  it.each(KEPT)('keeps %j', (typed) => {
    expect(maskSecrets(typed)).toEqual({ text: typed, kinds: [] });
  });

  it('masks the strings inside a JSON value and reports what it saw', () => {
    const seen: SecretKind[] = [];
    const out = maskDeep({ verb: 'ticket.submit', data: { description: 'pwd: Azerty!9', count: 2, tags: ['my password is hunter2'] } }, seen);
    expect(out).toEqual({ verb: 'ticket.submit', data: { description: `pwd: ${M}`, count: 2, tags: [`my password is ${M}`] } });
    expect(seen).toEqual(['password']);
  });
});
