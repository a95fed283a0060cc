/**
 * "Is there an outage?", "is email down for everyone?", « le vpn est en panne ? »: the open major
 * incidents that reach the person (the CMDB: their devices, subscriptions, department, site) or that
 * the question names, with their latest news; else the others elsewhere; else none, and what does not work?
 */
import type { Lang } from '../core/lang.ts';
import type { OutboundMessage } from '../core/messages.ts';
import type { MajorIncidentView } from '../core/tickets.ts';
import { fold } from '../core/commands.ts';
import { say } from '../texts/index.ts';
import type { ServiceDefinition } from '../catalog/services.ts';
import { servicesNamed } from './incident-views.ts';
import type { MajorIncidents } from './major-incidents.ts';

export interface OutageDeps {
  incidents: MajorIncidents;
  services: readonly ServiceDefinition[];
  emailOf(userId: string): Promise<string | undefined>;
  timeZone?: string;
}

export async function answerOutage(deps: OutageDeps, userId: string, lang: Lang, folded: string): Promise<{ replies: OutboundMessage[]; reason: string }> {
  const { mine, others, site } = await deps.incidents.openFor(await deps.emailOf(userId));
  // An incident the question names ("is email down?") is theirs too, whatever the CMDB says.
  const named = others.filter((i) => servicesNamed(i).some((s) => names(deps.services.find((d) => d.id === s), folded)));
  const yours = [...mine, ...named];
  const rest = others.filter((i) => !named.includes(i));
  const time = new Intl.DateTimeFormat(lang === 'fr' ? 'fr-FR' : 'en-GB', { timeZone: deps.timeZone ?? 'Europe/Paris', hour: '2-digit', minute: '2-digit', day: 'numeric', month: 'short' });
  const line = (i: MajorIncidentView) =>
    say(lang, 'incidents.outageLine', {
      service: deps.incidents.serviceName(i.serviceId, lang),
      title: i.title[lang],
      since: time.format(new Date(i.startedAt)),
      update: i.updates[0]?.text[lang] ?? say(lang, 'incidents.outageNoUpdate'),
    });
  if (yours.length > 0) return { replies: [{ type: 'text', text: say(lang, 'incidents.outageYours', { list: yours.map(line).join('\n') }) }], reason: `outage:${yours.length} affecting the user` };
  if (rest.length > 0) {
    const list = rest.map((i) => `${deps.incidents.serviceName(i.serviceId, lang)} (${i.title[lang]})`).join(', ');
    return { replies: [{ type: 'text', text: say(lang, 'incidents.outageElsewhere', { site: site ?? say(lang, 'incidents.anySite'), list }) }], reason: `outage:${rest.length} elsewhere` };
  }
  return { replies: [{ type: 'text', text: say(lang, 'conversation.outageNone') }], reason: 'outage:none' };
}

/** Whether the folded question names the service (its id or a keyword, as whole words). */
function names(service: ServiceDefinition | undefined, folded: string): boolean {
  if (!service) return false;
  const words = [service.id, ...service.keywords.fr, ...service.keywords.en].map(fold).filter((w) => w.length >= 3);
  return words.some((w) => new RegExp(`(?:^|\\s)${w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?:\\s|$)`).test(folded));
}
