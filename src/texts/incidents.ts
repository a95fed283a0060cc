/**
 * The incidents texts of the catalogue (see index.ts): major incidents broadcast to the people
 * affected, the suggestion to declare one, the agents' chat commands and the incident card's labels.
 */
import type { TextTable } from './define.ts';

export const incidents = {
  // ——— Told to the people affected, and to the service desk ———
  broadcastDeclared: { fr: '⚠️ Incident majeur en cours : {title}. Inutile d’ouvrir un ticket, je vous préviendrai de son évolution.', en: '⚠️ Major incident in progress: {title}. No need to open a ticket; I’ll keep you posted.' },
  broadcastUpdated: { fr: 'Incident majeur #{number} : {text}', en: 'Major incident #{number}: {text}' },
  broadcastResolved: { fr: '✅ Incident majeur #{number} résolu : {text}', en: '✅ Major incident #{number} resolved: {text}' },
  suggestion: {
    fr: '📈 {count} signalements sur « {service} » en {minutes} min : faut-il déclarer un incident majeur ? (« incident majeur {serviceId} : titre »)',
    en: '📈 {count} reports about “{service}” within {minutes} min: declare a major incident? (“major incident {serviceId}: title”)',
  },
  // ——— Replies to the agents' chat commands ———
  staffOnly: { fr: 'Seuls les techniciens et administrateurs gèrent les incidents majeurs.', en: 'Only agents and admins manage major incidents.' },
  none: { fr: 'Aucun incident majeur en cours.', en: 'No major incident in progress.' },
  declared: { fr: 'Incident majeur #{number} déclaré.', en: 'Major incident #{number} declared.' },
  updated: { fr: 'Mise à jour publiée.', en: 'Update posted.' },
  resolved: { fr: 'Incident majeur #{number} résolu ; les tickets rattachés sont résolus.', en: 'Major incident #{number} resolved; its linked tickets are resolved.' },
  // ——— Labels of an incident card ———
  labelOpen: { fr: 'Incident majeur', en: 'Major incident' },
  labelResolved: { fr: 'Incident majeur résolu', en: 'Major incident resolved' },
  labelSince: { fr: 'depuis', en: 'since' },
} satisfies TextTable;
