/**
 * Entities in a chat message that the router and the flows use: ticket
 * numbers ("#1042", "ticket 1042", "le ticket n° 1042"), CMDB asset tags
 * ("LT-004211", "PR-PAR-3-01"), services of the catalogue named by their
 * keywords ("outlook", "vpn", "mot de passe"), and error codes
 * ("0x80070005", "AADSTS50076", "error 691", "erreur 809").
 *
 * Each extractor returns what it found in the order of the text, without
 * duplicates; nothing is guessed (a bare "1042" is no ticket number, a
 * "Wi-Fi" is no asset tag).
 */
import { fold } from '../core/commands.ts';

export interface ServiceKeywords {
  id: string;
  keywords: { fr: readonly string[]; en: readonly string[] };
}

export interface EntityOptions {
  /** The service catalogue (config/services.yml): services are recognised by their keywords. */
  services?: readonly ServiceKeywords[];
  /** Tags of the CMDB: a known tag is recognised even without digits ("APP-SAP"). */
  knownTags?: ReadonlySet<string>;
}

export interface Entities {
  ticketNumbers: number[];
  assetTags: string[];
  /** Service ids, the most mentioned first. */
  services: string[];
  errorCodes: string[];
}

export function extractEntities(text: string, options: EntityOptions = {}): Entities {
  return {
    ticketNumbers: ticketNumbers(text),
    assetTags: assetTags(text, options.knownTags),
    services: options.services ? serviceMentions(text, options.services) : [],
    errorCodes: errorCodes(text),
  };
}

/** "#1042", "ticket 1042", "ticket #1042", "le ticket n° 1042", "incident no. 1042", "demande numéro 1042". */
const TICKET = /(?:#\s?(\d{1,9})\b)|(?:\b(?:ticket|tickets|incident|demande|request|req|inc)\s*(?:n\s?°|n\s?o\.?|num(?:[eé]ro|ber)?\.?|number)?\s*[:#]?\s*(\d{3,9})\b)/giu;

export function ticketNumbers(text: string): number[] {
  const found: number[] = [];
  for (const m of text.matchAll(TICKET)) {
    const n = Number(m[1] ?? m[2]);
    if (Number.isSafeInteger(n) && n > 0 && !found.includes(n)) found.push(n);
  }
  return found;
}

/** Two to four letters, then dash-separated parts: LT-004211, PRN-PAR-3-02, APP-SAP. */
const TAG = /(?<![\p{L}\p{N}-])[a-z]{2,4}(?:-[a-z0-9]{1,8}){1,3}(?![\p{L}\p{N}-])/giu;

/** Tags with at least three digits, or known to the CMDB; upper-cased. */
export function assetTags(text: string, known?: ReadonlySet<string>): string[] {
  const found: string[] = [];
  for (const m of text.matchAll(TAG)) {
    const tag = m[0].toUpperCase();
    const plausible = known?.has(tag) || (tag.match(/\d/g)?.length ?? 0) >= 3;
    if (plausible && !found.includes(tag)) found.push(tag);
  }
  return found;
}

/** Service ids whose keywords the text contains as whole words, most hits first (ties: catalogue order). */
export function serviceMentions(text: string, services: readonly ServiceKeywords[]): string[] {
  const padded = ` ${fold(text)} `;
  const hits = services
    .map((service, index) => {
      const words = new Set([...service.keywords.fr, ...service.keywords.en].map((k) => fold(k)).filter(Boolean));
      return { id: service.id, index, count: [...words].filter((w) => padded.includes(` ${w} `)).length };
    })
    .filter((h) => h.count > 0);
  return hits.sort((a, b) => b.count - a.count || a.index - b.index).map((h) => h.id);
}

const ERROR_CODES: RegExp[] = [
  // Windows / HRESULT codes.
  /\b0x[0-9a-f]{4,8}\b/giu,
  // Vendor codes written in capitals with digits: AADSTS50076, CAA20003, E000-0001.
  /\b[A-Z]{1,10}\d{3,8}(?:-\d{2,6})?\b/gu,
  // A number announced as an error: "error 691", "erreur 809", "code d'erreur : 53003", "error code 0x…" is above.
  /\b(?:error|erreur|err|code)(?:\s+(?:code|d['’]erreur))?\s*(?:n\s?°|no\.?|#|:)?\s*(\d{2,6})\b/giu,
];

export function errorCodes(text: string): string[] {
  const found: { code: string; at: number }[] = [];
  const tags = new Set(assetTags(text));
  for (const pattern of ERROR_CODES) {
    for (const m of text.matchAll(pattern)) {
      const code = m[1] ?? m[0];
      const at = (m.index ?? 0) + (m[1] ? m[0].lastIndexOf(m[1]) : 0);
      if ([...tags].some((t) => t.includes(code.toUpperCase()))) continue;
      if (!found.some((f) => f.code.toLowerCase() === code.toLowerCase())) found.push({ code, at });
    }
  }
  return found.sort((a, b) => a.at - b.at).map((f) => f.code);
}
