/** Texts of the connectors to other service desks (src/connectors/): GLPI. */
import type { TextTable } from './define.ts';

export const connectors = {
  glpiDelayed: {
    fr: 'Votre ticket #{number} est bien enregistré ; il apparaîtra dans GLPI sous peu. Rien n’est perdu.',
    en: 'Your ticket #{number} is recorded; it will appear in GLPI shortly. Nothing is lost.',
  },
  glpiCreated: {
    fr: 'Votre ticket #{number} est enregistré dans GLPI sous le numéro {glpiId}.',
    en: 'Your ticket #{number} is recorded in GLPI as number {glpiId}.',
  },
  glpiFailedForAdmin: {
    fr: 'GLPI : l’envoi « {kind} » du ticket #{number} a échoué après {attempts} essai(s) : {error}',
    en: 'GLPI: sending "{kind}" for ticket #{number} failed after {attempts} attempt(s): {error}',
  },
  glpiRefusedReason: {
    fr: 'Solution refusée par le demandeur depuis le chat : {reason}',
    en: 'Solution refused by the requester in chat: {reason}',
  },
  glpiNoReason: {
    fr: '(aucune raison donnée)',
    en: '(no reason given)',
  },
  glpiStatus: {
    fr: 'Connecteur GLPI : {pending} envoi(s) en attente, {dead} abandonné(s).',
    en: 'GLPI connector: {pending} call(s) waiting, {dead} given up.',
  },
  glpiDeadLine: {
    fr: '• #{number} « {kind} » : {error}',
    en: '• #{number} "{kind}": {error}',
  },
  glpiRetried: {
    fr: 'Connecteur GLPI : {count} envoi(s) abandonné(s) remis en file.',
    en: 'GLPI connector: {count} given-up call(s) queued again.',
  },
} satisfies TextTable;
