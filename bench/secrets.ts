/**
 * The secret detector (src/core/secrets.ts) on real messages: how long masking takes per message (every
 * inbound message and every log line goes through it), how many of the benchmark's ordinary messages
 * it would change (false positives: should be 0), and how it does on passwords said as plain words and
 * on password complaints that hold no password.
 *
 *   npm run bench:secrets
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { maskSecrets } from '../src/core/secrets.ts';

const DATA = 'bench/data';
const texts: string[] = [];
for (const file of readdirSync(DATA).filter((f) => f.endsWith('.jsonl'))) {
  for (const line of readFileSync(join(DATA, file), 'utf8').split('\n')) {
    if (!line.trim()) continue;
    const row = JSON.parse(line) as { text?: unknown; query?: unknown };
    const text = typeof row.text === 'string' ? row.text : typeof row.query === 'string' ? row.query : undefined;
    if (text) texts.push(text);
  }
}
const secrets = ["mon mdp c'est Soleil2024! ça marche pas", 'my password is hunter2', 'le code reçu est 482913', 'token ghp_16C7e42F292c6912E7710c838347Ae178B4a', 'Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U'];

// Held out from test/unit/core/secrets.test.ts (written before the rules, not tuned on): passwords said
// as plain words, which must be masked, and password complaints with no value, which must be kept.
const said = [
  "mon mdp c'est soleil ça marche pas",
  'my password is sunshine and it does not work',
  'mon mot de passe est chocolat mais windows le refuse',
  "le mot de passe c'est marmotte",
  'password: dragonfly',
  'mdp = tournesol',
  'mon mdp cest banane et ca veut pas',
  'my pwd is letmein but outlook keeps asking',
  'mot de passe : framboise, je viens de le taper',
  'my password was pineapple yesterday and now it is locked',
  "mon mdp c'est doudou, pouvez vous le réinitialiser",
  'the wifi password is guestaccess right?',
  'mon pass c soleil123',
  'mon mot de passe windows c est hirondelle',
  'password is monkey lol',
  'mdp : caramel stp aidez moi',
];
const complaints = [
  "mon mdp c'est quoi",
  'mon mot de passe est trop court',
  'my password is not working',
  'my password is being rejected',
  'mon mot de passe est refusé depuis ce matin',
  'my password is probably expired',
  'mon mdp est encore bloqué',
  'le mot de passe est demandé à chaque démarrage',
  'my password is the same as before',
  'my password is too long for the vpn client',
  "mon mot de passe c'est plus le bon",
  'the password is case sensitive?',
  'mon mdp est pas accepté',
  'my password is still not accepted',
  'le mot de passe est celui de windows ?',
  "mdp : je l'ai oublié",
  'my password is apparently wrong',
  'mon mot de passe est devenu invalide',
  'password: reset it please',
  'mon mot de passe est perdu, comment faire',
  'my password is locked out again',
  'le mot de passe provisoire est arrivé par sms',
  'my password is about to expire',
  'mon mdp a expiré hier',
];

const long = `${'Outlook plante quand j’ouvre le calendrier partagé, erreur 0x80070005, ticket #1042. '.repeat(90)}`.slice(0, 8_000);

function time(label: string, inputs: string[], rounds: number): void {
  for (const t of inputs) maskSecrets(t); // warm up
  const start = process.hrtime.bigint();
  for (let r = 0; r < rounds; r += 1) for (const t of inputs) maskSecrets(t);
  const micros = Number(process.hrtime.bigint() - start) / 1_000 / (rounds * inputs.length);
  console.log(`${label}: ${micros.toFixed(1)} µs per message (${inputs.length} messages × ${rounds})`);
}

const changed = texts.filter((t) => maskSecrets(t).kinds.length > 0);
console.log(`benchmark messages: ${texts.length}; changed by the detector (false positives): ${changed.length}`);
for (const t of changed.slice(0, 10)) console.log(`  ${t} → ${maskSecrets(t).text}`);
console.log(`secrets masked: ${secrets.filter((s) => maskSecrets(s).kinds.length > 0).length}/${secrets.length}`);
const saidMissed = said.filter((s) => !maskSecrets(s).kinds.includes('password'));
console.log(`plain-word passwords masked: ${said.length - saidMissed.length}/${said.length}`);
for (const t of saidMissed) console.log(`  missed: ${t}`);
const complaintsChanged = complaints.filter((s) => maskSecrets(s).kinds.length > 0);
console.log(`password complaints kept as typed: ${complaints.length - complaintsChanged.length}/${complaints.length}`);
for (const t of complaintsChanged) console.log(`  changed: ${t} → ${maskSecrets(t).text}`);
time('ordinary messages', texts, 20);
time('messages with a secret', [...secrets, ...said], 2_000);
time('an 8,000-character message', [long], 200);
