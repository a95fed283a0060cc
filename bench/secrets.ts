/**
 * The secret detector (src/core/secrets.ts) on real messages: how long masking takes per message (every
 * inbound message and every log line goes through it), and how many of the benchmark's ordinary messages
 * it would change (false positives: should be 0).
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
time('ordinary messages', texts, 20);
time('messages with a secret', secrets, 2_000);
time('an 8,000-character message', [long], 200);
