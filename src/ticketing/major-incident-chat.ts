/**
 * Major incidents from chat, for agents and admins:
 *
 *   major incident <service>: <title>        incident majeur <service> : <titre>
 *   update incident #2: <text>               mise à jour incident 2 : <texte>
 *   resolve incident #2: <text>              résoudre incident 2 : <texte>
 *   incidents                                 (the open ones)
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
  | { kind: 'list' };

export function parseIncidentCommand(text: string): Command | undefined {
  const raw = text.trim();
  let m = /^(?:declare\s+(?:a\s+)?)?(?:major incident|incident majeur|déclarer (?:un )?incident majeur|declarer (?:un )?incident majeur)\s+([a-z][a-z0-9-]*)\s*[:—-]\s*([\s\S]+)$/iu.exec(raw);
  if (m) return { kind: 'declare', serviceId: m[1]!.toLowerCase(), title: m[2]!.trim() };
  m = /^(?:update incident|mise à jour (?:de l’|de l')?incident|mise a jour incident|maj incident)\s+#?(\d{1,9})\s*[:—-]\s*([\s\S]+)$/iu.exec(raw);
  if (m) return { kind: 'update', number: Number(m[1]), text: m[2]!.trim() };
  m = /^(?:resolve incident|close incident|résoudre (?:l’|l')?incident|resoudre incident|clore incident)\s+#?(\d{1,9})\s*[:—-]\s*([\s\S]+)$/iu.exec(raw);
  if (m) return { kind: 'resolve', number: Number(m[1]), text: m[2]!.trim() };
  if (/^(?:incidents|major incidents|incidents majeurs|open incidents|incidents en cours)$/iu.test(raw)) return { kind: 'list' };
  return undefined;
}

/** The agent's text, shown as is in every language. */
const both = (text: string): Localized => ({ fr: text, en: text });

export function createIncidentChatModule(incidents: MajorIncidents): TurnModule {
  return {
    name: 'major-incidents',
    async handle(ctx) {
      const command = ctx.text ? parseIncidentCommand(ctx.text) : undefined;
      if (!command) return undefined;
      const lang = ctx.lang;
      const reply = (replies: OutboundMessage[]) => ({ replies, state: { ...ctx.state, pending: undefined } });
      if (ctx.user.role === 'employee') {
        if (command.kind !== 'list') return reply([{ type: 'text', text: say(lang, 'incidents.staffOnly') }]);
      }
      const actor = { id: ctx.user.id, role: ctx.user.role };
      try {
        switch (command.kind) {
          case 'list': {
            const open = await incidents.list({ status: 'open' });
            return reply(open.length ? open.map((incident) => incidents.card(incident, lang)) : [{ type: 'text', text: say(lang, 'incidents.none') }]);
          }
          case 'declare': {
            const view = await incidents.declare(actor, { serviceId: command.serviceId, title: both(command.title), impact: 'high' });
            return reply([{ type: 'text', text: say(lang, 'incidents.declared', { number: view.number }) }, incidents.card(view, lang)]);
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
