/** What the ticket desk tells people (notifications, timeline lines), in both languages. */
import { localize, type Lang, type Localized } from '../core/lang.ts';

const TEXTS = {
  // Notifications to the requester
  statusChanged: { fr: 'Votre ticket #{number} est passé à : {status}.', en: 'Your ticket #{number} is now: {status}.' },
  approvalAsk: {
    fr: '{requester} demande : « {title} » (demande #{number}). Approuvez-vous ?',
    en: '{requester} requests: “{title}” (request #{number}). Do you approve?',
  },
  approve: { fr: '✅ Approuver', en: '✅ Approve' },
  reject: { fr: '❌ Refuser', en: '❌ Reject' },
  approveValue: { fr: '#{number} approuver', en: '#{number} approve' },
  rejectValue: { fr: '#{number} refuser', en: '#{number} reject' },
  approvedForUser: { fr: 'Votre demande #{number} a été approuvée : le support s’en occupe.', en: 'Your request #{number} was approved: the service desk is on it.' },
  rejectedForUser: { fr: 'Votre demande #{number} a été refusée par votre responsable ; elle est annulée.', en: 'Your request #{number} was rejected by your approver; it is cancelled.' },
  reassigned: { fr: 'Votre ticket #{number} est maintenant suivi par {agent}.', en: 'Your ticket #{number} is now handled by {agent}.' },
  escalatedForUser: {
    fr: 'Votre ticket #{number} a été confié à l’équipe « {group} » (niveau {level}).',
    en: 'Your ticket #{number} was passed to the “{group}” team (level {level}).',
  },
  priorityForUser: { fr: 'La priorité de votre ticket #{number} est maintenant P{priority}.', en: 'Your ticket #{number} now has priority P{priority}.' },
  agentReplied: { fr: '👤 {agent} (support) : {text}', en: '👤 {agent} (service desk): {text}' },
  needInfo: {
    fr: 'Le support a besoin d’une information pour avancer sur le ticket #{number} : répondez ici.',
    en: 'The service desk needs information to go on with ticket #{number}: reply here.',
  },
  resolvedAsk: {
    fr: 'Votre ticket #{number} a été résolu : « {resolution} ». Le problème est-il réglé ?',
    en: 'Your ticket #{number} was resolved: “{resolution}”. Is the problem fixed?',
  },
  fixedYes: { fr: '✅ Oui, c’est réglé', en: '✅ Yes, fixed' },
  fixedNo: { fr: '❌ Non, toujours en panne', en: '❌ No, still broken' },
  fixedYesValue: { fr: '#{number} réglé', en: '#{number} fixed' },
  fixedNoValue: { fr: '#{number} pas réglé', en: '#{number} not fixed' },
  slaRisk: {
    fr: 'Votre ticket #{number} prend plus de temps que prévu ; le support est relancé.',
    en: 'Your ticket #{number} is taking longer than planned; the service desk has been reminded.',
  },
  autoClosed: {
    fr: 'Sans réponse de votre part, le ticket #{number} a été clos. Écrivez « #{number} pas réglé » s’il faut le rouvrir.',
    en: 'Without an answer from you, ticket #{number} was closed. Write “#{number} not fixed” if it needs reopening.',
  },
  // Notifications to agents and managers
  reopenedForAgent: { fr: 'Le ticket #{number} a été rouvert : le demandeur dit que ce n’est pas réglé.', en: 'Ticket #{number} was reopened: the requester says it is not fixed.' },
  infoForAgent: { fr: '{user} a ajouté au ticket #{number} : {text}', en: '{user} added to ticket #{number}: {text}' },
  userEscalated: {
    fr: '⚠️ {user} escalade le ticket #{number} ({title}) : « {reason} ».',
    en: '⚠️ {user} escalates ticket #{number} ({title}): “{reason}”.',
  },
  slaWarning: {
    fr: '⏰ Ticket #{number} ({title}) : 75 % du délai de {target} écoulé (échéance {due}).',
    en: '⏰ Ticket #{number} ({title}): 75% of the {target} time used (due {due}).',
  },
  slaBreach: {
    fr: '🚨 Ticket #{number} ({title}) : délai de {target} dépassé (échéance {due}).',
    en: '🚨 Ticket #{number} ({title}): {target} target breached (due {due}).',
  },
  slaEscalatedTo: { fr: ' Escaladé au groupe {group}.', en: ' Escalated to group {group}.' },
  response: { fr: 'prise en charge', en: 'response' },
  resolution: { fr: 'résolution', en: 'resolution' },
  // Timeline lines
  evCreated: { fr: 'Ticket ouvert', en: 'Ticket opened' },
  evStatus: { fr: 'Statut : {from} → {to}', en: 'Status: {from} → {to}' },
  evAssigned: { fr: 'Pris en charge par {agent}', en: 'Taken by {agent}' },
  evInfo: { fr: 'Information ajoutée : {text}', en: 'Information added: {text}' },
  evFiles: { fr: 'Fichiers joints : {files}', en: 'Files attached: {files}' },
  evReply: { fr: 'Réponse du support : {text}', en: 'Service desk reply: {text}' },
  evNote: { fr: 'Note interne : {text}', en: 'Internal note: {text}' },
  evEscalatedFunctional: { fr: 'Escaladé au groupe {group} (niveau {level})', en: 'Escalated to group {group} (level {level})' },
  evEscalatedHierarchical: { fr: 'Escalade hiérarchique : {reason}', en: 'Hierarchical escalation: {reason}' },
  evSlaWarning: { fr: 'Alerte SLA ({target})', en: 'SLA warning ({target})' },
  evSlaBreach: { fr: 'SLA dépassé ({target})', en: 'SLA breached ({target})' },
  evResolved: { fr: 'Résolu : {resolution}', en: 'Resolved: {resolution}' },
  evConfirmed: { fr: 'Résolution confirmée par le demandeur', en: 'Fix confirmed by the requester' },
  evReopened: { fr: 'Rouvert : le demandeur dit que ce n’est pas réglé', en: 'Reopened: the requester says it is not fixed' },
  evAutoClosed: { fr: 'Clos automatiquement faute de réponse', en: 'Closed automatically without an answer' },
  evRated: { fr: 'Satisfaction : {score}/5', en: 'Satisfaction: {score}/5' },
  evPriority: { fr: 'Priorité : P{from} → P{to}', en: 'Priority: P{from} → P{to}' },
  evLinked: { fr: 'Rattaché à l’incident majeur #{incident}', en: 'Linked to major incident #{incident}' },
  evCancelled: { fr: 'Annulé', en: 'Cancelled' },
  evApprovalRequested: { fr: 'Approbation demandée', en: 'Approval requested' },
  evApprovalGranted: { fr: 'Demande approuvée', en: 'Request approved' },
  evApprovalRejected: { fr: 'Demande refusée', en: 'Request rejected' },
} satisfies Record<string, Localized>;

export type DeskText = keyof typeof TEXTS;

export function say(lang: Lang, key: DeskText, vars: Record<string, string | number> = {}): string {
  return localize(TEXTS, lang, key, vars);
}
