/**
 * The ticket desk as the portal uses it, with secrets masked in what people type there (information
 * added to a ticket): the chat masks at the core's inbound point (src/core/secret-guard.ts), the portal's
 * forms go to the desk directly, so they are masked here, before anything stores them.
 */
import { maskSecrets } from '../core/secrets.ts';
import type { TicketDesk } from '../core/tickets.ts';

export function maskingDesk<D extends Pick<TicketDesk, 'addInfo'>>(desk: D): D {
  return new Proxy(desk, {
    get(target, prop) {
      if (prop === 'addInfo') {
        const addInfo: TicketDesk['addInfo'] = (number, viewer, text, origin, files) => target.addInfo(number, viewer, maskSecrets(text).text, origin, files);
        return addInfo;
      }
      const value: unknown = Reflect.get(target, prop, target);
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}
