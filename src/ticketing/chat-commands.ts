/**
 * What people type about their tickets, in French and English, parsed into commands; and how a
 * free text becomes a new ticket (its service, whether it is a request, its title).
 */
import { fold } from '../core/commands.ts';
import type { ServiceDefinition } from '../catalog/services.ts';

export type TicketChatCommand =
  | { kind: 'list'; all: boolean }
  | { kind: 'status'; number: number }
  | { kind: 'open'; text: string }
  | { kind: 'add'; number: number; text: string }
  | { kind: 'escalate'; number: number; reason: string }
  | { kind: 'confirm'; number: number; fixed: boolean }
  | { kind: 'approve'; number: number; approved: boolean };

const NUM = String.raw`(?:(?:le|du|my|mon|the)\s+)?(?:ticket\s+)?(?:n[°o]\s*)?#?(\d{1,9})(?!\d)`;

/** Parses what a user types about their tickets; undefined when it is something else. */
export function parseTicketCommand(text: string): TicketChatCommand | undefined {
  const raw = text.trim();
  const folded = fold(raw).replace(/[\s?!.]+$/, '');
  if (/^(?:all my tickets|all my requests|tous mes tickets|toutes mes demandes|historique de mes tickets)$/.test(folded)) return { kind: 'list', all: true };
  if (/^(?:my tickets|my requests|my open tickets|mes tickets|mes demandes|mes tickets en cours|ou en sont mes (?:tickets|demandes)|show my tickets|voir mes tickets|liste de mes tickets)$/.test(folded)) return { kind: 'list', all: false };
  let m = /^#?(\d{1,9})\s+(fixed|not fixed|still broken|regle|pas regle|toujours en panne)$/.exec(folded);
  if (m) return { kind: 'confirm', number: Number(m[1]), fixed: m[2] === 'fixed' || m[2] === 'regle' };
  m = /^#?(\d{1,9})\s+(approve|approved|approuver|approuve|reject|rejected|refuser|refuse)$/.exec(folded);
  if (m) return { kind: 'approve', number: Number(m[1]), approved: /^appro/.test(m[2]!) };
  m = new RegExp(`^(?:status|statut|etat|state|update on|where is|ou en est)\\s+(?:of\\s+|du\\s+|de\\s+)?${NUM}\\s*\\??$`, 'i').exec(folded);
  if (m) return { kind: 'status', number: Number(m[1]) };
  m = /^(?:open|create|raise|log) (?:a |an )?(?:new )?(?:ticket|incident|request)|^(?:new ticket|nouveau ticket)|^(?:ouvrir|creer|faire|ouvre|cree) (?:un )?(?:nouveau )?(?:ticket|incident|demande)/.exec(folded);
  if (m) {
    const rest = raw.replace(/^[^:—-]*?(?:ticket|incident|request|demande)\b\s*(?:pour\s+|for\s+|about\s+)?[:—-]?\s*/iu, '');
    return { kind: 'open', text: rest.trim() };
  }
  // "add a comment to #N: …" and "comment on #N: …" are additions too (they were lost to the help intent: « comment » is "how" in French).
  m = new RegExp(`^(?:add to|add (?:a |an |some )?(?:info|information|comment|note|details?) (?:to|on|for)|comment (?:on|for)|ajouter au|ajouter a|ajout au|ajouter (?:un commentaire|une info|une information|une precision|une note|des infos|des informations) (?:au|a|pour le|sur le)|commentaire (?:au|pour le|sur le)|complement (?:au|pour le)|info pour le)\\s+${NUM}\\s*[:—-]?\\s*([\\s\\S]+)$`, 'iu').exec(raw.normalize('NFD').replace(/\p{M}+/gu, ''));
  if (m) return { kind: 'add', number: Number(m[1]), text: afterColon(raw, m[2]!) };
  m = new RegExp(`^(?:escalate|escalader|escalade|relancer|urgent)\\s+${NUM}\\s*(?:[:—-]|because|car|parce que)?\\s*([\\s\\S]*)$`, 'iu').exec(raw.normalize('NFD').replace(/\p{M}+/gu, ''));
  if (m) return { kind: 'escalate', number: Number(m[1]), reason: m[2]!.trim() ? afterColon(raw, m[2]!) : '' };
  return undefined;
}

/** The original (accented) text of the tail that was matched on a folded copy. */
function afterColon(raw: string, foldedTail: string): string {
  return raw.slice(raw.length - foldedTail.length).trim();
}

/** The service whose keywords the text mentions most. */
export function guessService(services: readonly ServiceDefinition[], text: string): ServiceDefinition | undefined {
  const folded = ` ${fold(text)} `;
  let best: { service: ServiceDefinition; hits: number } | undefined;
  for (const service of services) {
    const words = [...service.keywords.fr, ...service.keywords.en].map((k) => fold(k));
    const hits = words.filter((w) => w && folded.includes(` ${w} `)).length;
    if (hits > 0 && (!best || hits > best.hits)) best = { service, hits };
  }
  return best?.service;
}

export function looksLikeRequest(text: string): boolean {
  return /\b(?:i need|i would like|i'd like|please install|request|access to|new (?:laptop|phone|screen|account)|j'ai besoin|je voudrais|j'aimerais|installer|demande d|acces a|nouvel? (?:ordinateur|ecran|telephone|compte))\b/.test(fold(text));
}

export function titleOf(text: string): string {
  const first = text.trim().split(/(?<=[.!?])\s|\n/)[0]!.trim();
  const title = first.length > 80 ? `${first.slice(0, 77).trimEnd()}…` : first;
  return title.length >= 3 ? title : `${title} …`;
}
