/**
 * `npm run manifest:teams`: builds the Teams app package `dist/teams-app.zip`
 * (manifest.json, fr.json, color.png, outline.png) from
 * `manifest/teams/manifest.template.json`, with ids from the environment:
 *
 * - MicrosoftAppId (required): the bot's Entra ID app id (a GUID), also the Azure Bot's id.
 * - PUBLIC_URL (required, https): where Guichet is reached; its host goes to validDomains and it is
 *   the default developer website, privacy and terms URL.
 * - TEAMS_APP_ID (optional): the Teams app id; default a UUID derived from MicrosoftAppId, so
 *   rebuilding the package updates the same app instead of creating a new one.
 * - TEAMS_DEVELOPER_NAME, TEAMS_WEBSITE_URL, TEAMS_PRIVACY_URL, TEAMS_TERMS_URL (optional).
 *
 * The manifest and its French localization are validated offline against the official JSON
 * schemas bundled in @microsoft/app-manifest, and the icons against Teams' rules (color 192×192,
 * outline 32×32 white on transparent). `--icons` redraws the two PNGs (a counter bell) first.
 */
import '../src/bootstrap-env.ts';
import { createHash } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AppManifestUtils } from '@microsoft/app-manifest';
import JSZip from 'jszip';
import { PNG } from 'pngjs';
import { GuichetError, isGuichetError } from '../src/core/errors.ts';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
export const MANIFEST_DIR = join(ROOT, 'manifest', 'teams');
export const PACKAGE_PATH = join(ROOT, 'dist', 'teams-app.zip');
export const MANIFEST_VERSION = '1.22';

/** Fixed namespace of the derived Teams app ids (UUID v5 of the bot id in it). */
const APP_ID_NAMESPACE = 'b3c5d0a2-6f1e-4c8a-9d47-2e61f0a8c913';
const GUID = /^[0-9a-fA-F]{8}-(?:[0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$/;

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export interface ManifestInputs {
  appId: string;
  teamsAppId: string;
  publicUrl: URL;
  version: string;
  developerName: string;
  websiteUrl: string;
  privacyUrl: string;
  termsUrl: string;
}

/** UUID v5 (RFC 9562) of `name` in `namespace`: the same bot id always gives the same app id. */
export function uuidV5(name: string, namespace: string = APP_ID_NAMESPACE): string {
  const hash = createHash('sha1').update(Buffer.from(namespace.replace(/-/g, ''), 'hex')).update(name, 'utf8').digest();
  hash[6] = (hash[6]! & 0x0f) | 0x50;
  hash[8] = (hash[8]! & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** Reads and checks the variables; every problem is listed with the variable's name. */
export function inputsFrom(env: NodeJS.ProcessEnv, version: string): ManifestInputs {
  const problems: string[] = [];
  const appId = env.MicrosoftAppId?.trim() ?? '';
  if (!GUID.test(appId)) problems.push(`MicrosoftAppId: expected the bot's app id, a GUID (got "${appId}")`);
  const teamsAppId = env.TEAMS_APP_ID?.trim() || (GUID.test(appId) ? uuidV5(appId.toLowerCase()) : '');
  if (env.TEAMS_APP_ID?.trim() && !GUID.test(teamsAppId)) problems.push(`TEAMS_APP_ID: expected a GUID (got "${teamsAppId}")`);
  const publicUrl = httpsUrl('PUBLIC_URL', env.PUBLIC_URL, problems);
  const optionalUrl = (name: string, fallback: string) => (env[name]?.trim() ? httpsUrl(name, env[name], problems)?.href ?? '' : fallback);
  const base = publicUrl?.href ?? '';
  const inputs = {
    appId,
    teamsAppId,
    publicUrl: publicUrl ?? new URL('https://invalid.example'),
    version,
    developerName: env.TEAMS_DEVELOPER_NAME?.trim() || 'Guichet',
    websiteUrl: optionalUrl('TEAMS_WEBSITE_URL', base),
    privacyUrl: optionalUrl('TEAMS_PRIVACY_URL', base),
    termsUrl: optionalUrl('TEAMS_TERMS_URL', base),
  };
  if (inputs.developerName.length > 32) problems.push(`TEAMS_DEVELOPER_NAME: at most 32 characters (got ${inputs.developerName.length})`);
  if (problems.length > 0) throw new GuichetError('manifest.invalid-env', `manifest: cannot build the Teams package:\n${problems.map((p) => `  ${p}`).join('\n')}`);
  return inputs;
}

function httpsUrl(name: string, value: string | undefined, problems: string[]): URL | undefined {
  try {
    const url = new URL(value?.trim() ?? '');
    if (url.protocol === 'https:') return url;
  } catch {
    // reported below
  }
  problems.push(`${name}: expected an https:// URL (got "${value ?? ''}")`);
  return undefined;
}

/** The template with every `{{NAME}}` placeholder filled (in string values only: no JSON injection). */
export function fillTemplate(template: Json, inputs: ManifestInputs): Json {
  const values: Record<string, string> = {
    VERSION: inputs.version,
    TEAMS_APP_ID: inputs.teamsAppId,
    MICROSOFT_APP_ID: inputs.appId,
    PUBLIC_HOST: inputs.publicUrl.host,
    DEVELOPER_NAME: inputs.developerName,
    WEBSITE_URL: inputs.websiteUrl,
    PRIVACY_URL: inputs.privacyUrl,
    TERMS_URL: inputs.termsUrl,
  };
  const fill = (node: Json): Json => {
    if (typeof node === 'string') {
      return node.replace(/\{\{(\w+)\}\}/g, (_, key: string) => {
        const value = values[key];
        if (value === undefined) throw new GuichetError('manifest.template', `manifest: unknown placeholder {{${key}}} in manifest.template.json`);
        return value;
      });
    }
    if (Array.isArray(node)) return node.map(fill);
    if (node && typeof node === 'object') return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, fill(v)]));
    return node;
  };
  return fill(template);
}

/** An official schema bundled in @microsoft/app-manifest (never fetched from the network). */
async function bundledSchema(file: string): Promise<object> {
  const packageDir = dirname(createRequire(import.meta.url).resolve('@microsoft/app-manifest'));
  const raw = await readFile(join(packageDir, 'json-schemas', 'teams', `v${MANIFEST_VERSION}`, file), 'utf8');
  // The schemas hold "\a" and "\v" escapes that JSON does not allow (the package cleans them the same
  // way), and the localization schema has a lone "]" in a pattern (`\b]`) that ajv's Unicode-mode
  // RegExp rejects: escaping it keeps its meaning (a literal "]").
  const cleaned = raw.replace(/\\a/g, '\\u0007').replace(/\\v/g, '\\u000b').replace(/\\\\b\]/g, '\\\\b\\\\]');
  return JSON.parse(cleaned) as object;
}

type Validate = typeof AppManifestUtils.validateAgainstSchema;

async function validate(document: Json, schemaFile: string): Promise<string[]> {
  const schema = (await bundledSchema(schemaFile)) as Parameters<Validate>[1];
  return AppManifestUtils.validateAgainstSchema(document as unknown as Parameters<Validate>[0], schema);
}

/** Schema errors of a manifest ([] when valid), plus Guichet's own rules. */
export async function validateManifest(manifest: Json): Promise<string[]> {
  const errors = await validate(manifest, 'MicrosoftTeams.schema.json');
  const lists = ((manifest as { bots?: { commandLists?: { commands?: unknown[] }[] }[] }).bots ?? []).flatMap((b) => b.commandLists ?? []);
  for (const [i, list] of lists.entries()) {
    if ((list.commands?.length ?? 0) > 10) errors.push(`/bots/0/commandLists/${i}/commands at most 10 commands (a localization file can only translate 10)`);
  }
  return errors;
}

export async function validateLocalization(localization: Json): Promise<string[]> {
  return validate(localization, 'MicrosoftTeams.Localization.schema.json');
}

/** Teams' icon rules: color 192×192; outline 32×32, white or transparent pixels only. */
export function iconProblems(color: Buffer, outline: Buffer): string[] {
  const problems: string[] = [];
  const c = PNG.sync.read(color);
  const o = PNG.sync.read(outline);
  if (c.width !== 192 || c.height !== 192) problems.push(`color.png: expected 192×192 (got ${c.width}×${c.height})`);
  if (o.width !== 32 || o.height !== 32) problems.push(`outline.png: expected 32×32 (got ${o.width}×${o.height})`);
  for (let i = 0; i < o.data.length; i += 4) {
    const [r, g, b, a] = [o.data[i]!, o.data[i + 1]!, o.data[i + 2]!, o.data[i + 3]!];
    if (a !== 0 && (r !== 255 || g !== 255 || b !== 255)) {
      problems.push(`outline.png: pixel ${(i / 4) % o.width},${Math.floor(i / 4 / o.width)} is neither white nor transparent`);
      break;
    }
  }
  return problems;
}

/** Builds, validates and zips the package; returns the filled manifest. */
export async function buildTeamsPackage(env: NodeJS.ProcessEnv, outPath: string = PACKAGE_PATH): Promise<Json> {
  const pkg = JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8')) as { version: string };
  const inputs = inputsFrom(env, pkg.version);
  const template = JSON.parse(await readFile(join(MANIFEST_DIR, 'manifest.template.json'), 'utf8')) as Json;
  const manifest = fillTemplate(template, inputs);
  const localization = JSON.parse(await readFile(join(MANIFEST_DIR, 'fr.json'), 'utf8')) as Json;
  const color = await readFile(join(MANIFEST_DIR, 'color.png'));
  const outline = await readFile(join(MANIFEST_DIR, 'outline.png'));
  const problems = [
    ...(await validateManifest(manifest)).map((e) => `manifest.json${e}`),
    ...(await validateLocalization(localization)).map((e) => `fr.json${e}`),
    ...iconProblems(color, outline),
  ];
  if (problems.length > 0) throw new GuichetError('manifest.invalid', `manifest: the Teams package is invalid:\n${problems.map((p) => `  ${p}`).join('\n')}`);

  const zip = new JSZip();
  zip.file('manifest.json', `${JSON.stringify(manifest, null, 2)}\n`);
  zip.file('fr.json', `${JSON.stringify(localization, null, 2)}\n`);
  zip.file('color.png', color);
  zip.file('outline.png', outline);
  await mkdir(dirname(outPath), { recursive: true });
  await writeFile(outPath, await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' }));
  return manifest;
}

// ───────────── Icons: a counter bell, drawn with 4×4 supersampling ─────────────

interface RoundedRect {
  x0: number;
  x1: number;
  y0: number;
  y1: number;
  radius: number;
}

/** Shapes in unit coordinates (0..1, y down); `inside` tells whether a point is covered. */
interface BellGeometry {
  dome: { cx: number; cy: number; r: number };
  /** The plunger: a flat rounded cap on a thin stem (what makes it a bell, not a cloche). */
  cap: RoundedRect;
  stem: { x0: number; x1: number; y0: number; y1: number };
  base: RoundedRect;
  /** Accent-coloured shine on the dome (colour icon only): ring radii and angle range in degrees. */
  shine?: { r0: number; r1: number; from: number; to: number };
}

const COLOR_BELL: BellGeometry = {
  dome: { cx: 0.5, cy: 0.64, r: 0.25 },
  cap: { x0: 0.42, x1: 0.58, y0: 0.255, y1: 0.29, radius: 0.016 },
  stem: { x0: 0.485, x1: 0.515, y0: 0.28, y1: 0.4 },
  base: { x0: 0.2, x1: 0.8, y0: 0.665, y1: 0.75, radius: 0.03 },
  shine: { r0: 0.165, r1: 0.195, from: 200, to: 245 },
};

const OUTLINE_BELL: BellGeometry = {
  dome: { cx: 0.5, cy: 0.7, r: 0.4 },
  cap: { x0: 0.34, x1: 0.66, y0: 0.06, y1: 0.135, radius: 0.03 },
  stem: { x0: 0.47, x1: 0.53, y0: 0.12, y1: 0.31 },
  base: { x0: 0.06, x1: 0.94, y0: 0.75, y1: 0.9, radius: 0.05 },
};

function inRoundedRect(x: number, y: number, b: RoundedRect): boolean {
  if (x < b.x0 || x > b.x1 || y < b.y0 || y > b.y1) return false;
  const cx = Math.min(Math.max(x, b.x0 + b.radius), b.x1 - b.radius);
  const cy = Math.min(Math.max(y, b.y0 + b.radius), b.y1 - b.radius);
  return (x - cx) ** 2 + (y - cy) ** 2 <= b.radius ** 2;
}

function bellCovers(g: BellGeometry, x: number, y: number): boolean {
  const { dome, cap, stem, base } = g;
  const inDome = y <= dome.cy && (x - dome.cx) ** 2 + (y - dome.cy) ** 2 <= dome.r ** 2;
  const inStem = x >= stem.x0 && x <= stem.x1 && y >= stem.y0 && y <= stem.y1;
  if (!(inDome || inStem || inRoundedRect(x, y, cap) || inRoundedRect(x, y, base))) return false;
  if (inDome && g.shine) {
    const d = Math.hypot(x - dome.cx, y - dome.cy);
    const angle = (Math.atan2(y - dome.cy, x - dome.cx) * 180) / Math.PI + 360;
    if (d >= g.shine.r0 && d <= g.shine.r1 && angle >= g.shine.from && angle <= g.shine.to) return false;
  }
  return true;
}

/** Coverage (0..1) of the bell over each pixel of a size×size image. */
function coverage(size: number, g: BellGeometry): Float64Array {
  const samples = 4;
  const out = new Float64Array(size * size);
  for (let py = 0; py < size; py += 1) {
    for (let px = 0; px < size; px += 1) {
      let hits = 0;
      for (let sy = 0; sy < samples; sy += 1) {
        for (let sx = 0; sx < samples; sx += 1) {
          if (bellCovers(g, (px + (sx + 0.5) / samples) / size, (py + (sy + 0.5) / samples) / size)) hits += 1;
        }
      }
      out[py * size + px] = hits / samples ** 2;
    }
  }
  return out;
}

const ACCENT = [0x0f, 0x6c, 0xbd] as const;

/** The colour icon: a white bell on the accent colour, full bleed (Teams rounds the corners). */
export function drawColorIcon(): Buffer {
  const png = new PNG({ width: 192, height: 192 });
  const cover = coverage(192, COLOR_BELL);
  for (let i = 0; i < cover.length; i += 1) {
    const a = cover[i]!;
    for (let k = 0; k < 3; k += 1) png.data[i * 4 + k] = Math.round(ACCENT[k]! * (1 - a) + 255 * a);
    png.data[i * 4 + 3] = 255;
  }
  return PNG.sync.write(png);
}

/** The outline icon: the bell in white on transparent, as Teams requires. */
export function drawOutlineIcon(): Buffer {
  const png = new PNG({ width: 32, height: 32 });
  const cover = coverage(32, OUTLINE_BELL);
  for (let i = 0; i < cover.length; i += 1) {
    const a = Math.round(cover[i]! * 255);
    png.data.set(a === 0 ? [0, 0, 0, 0] : [255, 255, 255, a], i * 4);
  }
  return PNG.sync.write(png);
}

async function main(argv: string[]): Promise<void> {
  if (argv.includes('--icons')) {
    await writeFile(join(MANIFEST_DIR, 'color.png'), drawColorIcon());
    await writeFile(join(MANIFEST_DIR, 'outline.png'), drawOutlineIcon());
    process.stdout.write('manifest: icons redrawn in manifest/teams/\n');
  }
  const manifest = (await buildTeamsPackage(process.env)) as { id: string; bots: { botId: string }[] };
  process.stdout.write(`manifest: wrote ${PACKAGE_PATH} (Teams app ${manifest.id}, bot ${manifest.bots[0]?.botId})\n`);
}

const isEntryPoint = process.argv[1] !== undefined && import.meta.url.endsWith(process.argv[1].replace(/\\/g, '/'));
if (isEntryPoint) {
  main(process.argv.slice(2)).catch((err: unknown) => {
    process.stderr.write(`${isGuichetError(err) ? err.message : String((err as Error)?.stack ?? err)}\n`);
    process.exit(1);
  });
}
