/**
 * The fake Slack Web API (test/helpers/fake-slack-api.ts) in its own process, for the benchmarks:
 * `tsx bench/lib/fake-slack-server.ts <users>` prints `{"apiUrl": …}`, then answers each "count" line
 * on stdin with `{"posts": <chat.postMessage calls so far>}`.
 */
import { createInterface } from 'node:readline';
import { FakeSlackApi } from '../../test/helpers/fake-slack-api.ts';
import { TEAM } from '../../test/helpers/slack-signing.ts';

const users = Number(process.argv[2] ?? 100);
const fake = await FakeSlackApi.start();
for (let i = 0; i < users; i += 1) {
  fake.addUser({ id: `UB${i}`, team_id: TEAM, name: `user${i}`, real_name: `User ${i}`, tz: 'Europe/Paris', locale: 'fr-FR', profile: { email: `user${i}@example.org` } });
}
process.stdout.write(`${JSON.stringify({ apiUrl: fake.apiUrl })}\n`);
for await (const line of createInterface({ input: process.stdin })) {
  if (line.trim() === 'count') process.stdout.write(`${JSON.stringify({ posts: fake.calls.filter((c) => c.method === 'chat.postMessage').length })}\n`);
}
await fake.stop();
