/**
 * `npm run manifest:slack`: prints Guichet's Slack app manifest with the request URLs set from
 * PUBLIC_URL (e.g. https://guichet.example.org), and writes it to dist/slack-manifest.yml.
 * Paste it into https://api.slack.com/apps › Create New App › From an app manifest.
 */
import '../src/bootstrap-env.ts';
import { mkdir, writeFile } from 'node:fs/promises';
import { fillSlackManifest, readSlackManifest } from '../src/channels/slack/manifest.ts';
import { isGuichetError } from '../src/core/errors.ts';

const OUTPUT = new URL('../dist/slack-manifest.yml', import.meta.url);

try {
  const publicUrl = process.env.PUBLIC_URL?.trim();
  if (!publicUrl) throw new Error('PUBLIC_URL is not set: the public https base URL of this Guichet (e.g. PUBLIC_URL=https://guichet.example.org)');
  const manifest = fillSlackManifest(await readSlackManifest(), publicUrl);
  await mkdir(new URL('.', OUTPUT), { recursive: true });
  await writeFile(OUTPUT, manifest);
  process.stdout.write(manifest);
  process.stderr.write(`\nmanifest:slack: written to dist/slack-manifest.yml\n`);
} catch (err) {
  process.stderr.write(`manifest:slack: ${isGuichetError(err) || err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
}
