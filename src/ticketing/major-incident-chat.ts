/**
 * Major incidents from chat, for agents and admins:
 *
 *   major incident <service>: <title>        incident majeur <service> : <titre>
 *   update incident #2: <text>               mise à jour incident 2 : <texte>
 *   resolve incident #2: <text>              résoudre incident 2 : <texte>
 *   incidents                                 (the open ones)
 *   link #12 to incident 2                     rattacher #12 à l'incident 2
 *   confirm alert 3 / dismiss alert 3          confirmer alerte 3 / ignorer alerte 3
 *
 * and for everyone, from the buttons of the notices:
 *
 *   join incident 2                            rejoindre incident 2
 *   incident 2 works / incident 2 still broken incident 2 ça marche / incident 2 toujours en panne
 *
 * The text is the agent's, in their language; it is shown as is to everyone.
 */
import { isGuichetError, userMessage } from '../core/errors.ts';
import type { Localized } from '../core/lang.ts';
import type { OutboundMessage } from '../core/messages.ts';
import type { TurnModule } from '../core/turn-module.ts';
import { say } from '../texts/index.ts';
import type { MajorIncidents } from './major-incidents.ts';

type Command =
  | { kind: 'declare'; serviceId: string; title: string }
  | { kind: 'update'; number: number; text: string }
  | { kind: 'resolve'; number: number; text: string }
  | { kind: 'list' }
  | { kind: 'link'; ticket: number; number: number }
  | { kind: 'alert'; id: number; confirm: boolean }
  | { kind: 'join'; number: number }
  | { kind: 'works'; number: number; works: boolean };

/** What monitoring's suggestions need from chat (alerts.ts). */
export interface AlertDecisions {
  confirm(id: number, actor: { id: string; role: 'agent' | 'admin' }): Promise<{ number: number } | undefined>;
  dismiss(id: number, actor: { id: string; role: 'agent' | 'admin' }): Promise<boolean>;
}

export function parseIncidentCommand(text: string): Command | undefined {
  const raw = text.trim();
  let m = /^(?:declare\s+(?:a\s+)?)?(?:major incident|incident majeur|déclarer (?:un )?incident majeur|declarer (?:un )?incident majeur)\s+([a-z][a-z0-9-]*)\s*[:—-]\s*([\s\S]+)$/iu.exec(raw);
  if (m) return { kind: 'declare', serviceId: m[1]!.toLowerCase(), title: m[2]!.trim() };
  m = /^(?:update incident|mise à jour (?:de l’|de l')?incident|mise a jour incident|maj incident)\s+#?(\d{1,9})\s*[:—-]\s*([\s\S]+)$/iu.exec(raw);
  if (m) return { kind: 'update', number: Number(m[1]), text: m[2]!.trim() };
  m = /^(?:resolve incident|close incident|résoudre (?:l’|l')?incident|resoudre incident|clore incident)\s+#?(\d{1,9})\s*[:—-]\s*([\s\S]+)$/iu.exec(raw);
  if (m) return { kind: 'resolve', number: Number(m[1]), text: m[2]!.trim() };
  if (/^(?:incidents|major incidents|incidents majeurs|open incidents|incidents en cours)$/iu.test(raw)) return { kind: 'list' };
  m = /^(?:link|rattacher)\s+#?(\d{1,9})\s+(?:to|à|a)\s+(?:l[’']\s*)?incident\s+#?(\d{1,9})$/iu.exec(raw);
  if (m) return { kind: 'link', ticket: Number(m[1]), number: Number(m[2]) };
  m = /^(confirm|dismiss|confirmer|ignorer)\s+(?:alert|alerte)\s+#?(\d{1,9})$/iu.exec(raw);
  if (m) return { kind: 'alert', id: Number(m[2]), confirm: /^confirm/iu.test(m[1]!) };
  m = /^(?:join incident|rejoindre (?:l[’']\s*)?incident)\s+#?(\d{1,9})$/iu.exec(raw);
  if (m) return { kind: 'join', number: Number(m[1]) };
  m = /^incident\s+#?(\d{1,9})\s+(works|ça marche|ca marche|still broken|toujours en panne)$/iu.exec(raw);
  if (m) return { kind: 'works', number: Number(m[1]), works: /works|marche/iu.test(m[2]!) };
  return undefined;
}

/** The agent's text, shown as is in every language. */
const both = (text: string): Localized => ({ fr: text, en: text });

export function createIncidentChatModule(incidents: MajorIncidents, alerts?: AlertDecisions): TurnModule {
  return {
    name: 'major-incidents',
    async handle(ctx) {
      const command = ctx.text ? parseIncidentCommand(ctx.text) : undefined;
      if (!command) return undefined;
      const lang = ctx.lang;
      const reply = (replies: OutboundMessage[]) => ({ replies, state: { ...ctx.state, pending: undefined } });
      const forEveryone = command.kind === 'list' || command.kind === 'join' || command.kind === 'works';
      if (ctx.user.role === 'employee' && !forEveryone) return reply([{ type: 'text', text: say(lang, 'incidents.staffOnly') }]);
      const actor = { id: ctx.user.id, role: ctx.user.role };
      const staff = { id: ctx.user.id, role: ctx.user.role === 'admin' ? ('admin' as const) : ('agent' as const) };
      try {
        switch (command.kind) {
          case 'join': {
            const found = await incidents.list({ status: 'open' });
            if (!found.some((i) => i.number === command.number)) return reply([{ type: 'text', text: say(lang, 'incidents.notOpen', { number: command.number }) }]);
            const { view, linked } = await incidents.join(ctx.user.id, command.number);
            const text = [say(lang, 'incidents.joined', { number: view.number, title: view.title[lang] }), ...linked.map((t) => say(lang, 'incidents.joinedLinked', { ticket: t }))].join(' ');
            // Joining ends the guide about the same outage: nothing more to diagnose, no ticket.
            return { replies: [{ type: 'text', text }], state: { ...ctx.state, pending: undefined, flow: undefined } };
          }
          case 'works':
            return reply([{ type: 'text', text: say(lang, command.works ? 'incidents.worksThanks' : 'incidents.stillBroken') }]);
          case 'link': {
            await incidents.link(command.ticket, command.number);
            return reply([{ type: 'text', text: say(lang, 'incidents.linkedTicket', { ticket: command.ticket, number: command.number }) }]);
          }
          case 'alert': {
            if (!alerts) return undefined;
            if (command.confirm) {
              const made = await alerts.confirm(command.id, staff);
              if (!made) return reply([{ type: 'text', text: say(lang, 'incidents.alertUnknown', { id: command.id }) }]);
              const view = await incidents.view(made.number);
              return reply([{ type: 'text', text: say(lang, 'incidents.declared', { number: made.number }) }, incidents.card(view, lang)]);
            }
            const dismissed = await alerts.dismiss(command.id, staff);
            return reply([{ type: 'text', text: say(lang, dismissed ? 'incidents.alertDismissed' : 'incidents.alertUnknown', { id: command.id }) }]);
          }
          case 'list': {
            const open = await incidents.list({ status: 'open' });
            return reply(open.length ? open.map((incident) => incidents.card(incident, lang)) : [{ type: 'text', text: say(lang, 'incidents.none') }]);
          }
          case 'declare': {
            const view = await incidents.declare(actor, { serviceId: command.serviceId, title: both(command.title), impact: 'high' });
            const report = say(lang, 'incidents.declaredReport', { number: view.number, reached: view.reached, linked: view.linked.length });
            const confirm = view.toConfirm.length > 0 ? [say(lang, 'incidents.toConfirm', { list: view.toConfirm.map((n) => `#${n}`).join(', '), number: view.number })] : [];
            return reply([{ type: 'text', text: [report, ...confirm].join('\n') }, incidents.card(view, lang)]);
          }
          case 'update': {
            const view = await incidents.update(actor, command.number, both(command.text));
            return reply([{ type: 'text', text: say(lang, 'incidents.updated') }, incidents.card(view, lang)]);
          }
          case 'resolve': {
            const view = await incidents.resolve(actor, command.number, both(command.text));
            return reply([{ type: 'text', text: say(lang, 'incidents.resolved', { number: view.number }) }, incidents.card(view, lang)]);
          }
        }
      } catch (err) {
        if (isGuichetError(err) && err.code.startsWith('ticketing.')) return reply([{ type: 'text', text: userMessage(err, lang) }]);
        throw err;
      }
    },
  };
}
