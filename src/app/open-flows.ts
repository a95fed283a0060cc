/** The guided conversations at start-up: flows loaded, the intent classifier trained, the flows module plugged in. */
import { join } from 'node:path';
import { GuichetError } from '../core/errors.ts';
import { type CoreDeps } from '../core/handle-turn.ts';
import { FLOW_RESOLVED } from '../analytics/metrics.ts';
import { Handoff } from '../handoff/handoff.ts';
import { TicketDeskService } from '../ticketing/desk/ticket-desk.ts';
import { IndexedKnowledgeBase } from '../knowledge/knowledge-base.ts';
import { loadServiceIds } from '../catalog/services.ts';
import { loadFlows } from '../flows/load.ts';
import { createFlowsModule } from '../flows/module.ts';
import type { Flow } from '../flows/schema.ts';
import { assetTags, errorCodes } from '../nlu/entities.ts';
import { cachedRouter, createIntentRecognizer, trainRouter } from '../nlu/router-intents.ts';
import { loadRoutingSettings } from '../nlu/routing-config.ts';
import { type Database } from '../persistence/database.ts';
import type { FlowsReport, GuichetOptions } from './types.ts';

/**
 * Loads the flows, trains the intent classifier on their examples plus the global intents,
 * and plugs the flows module in after the handoff and ticket modules (they own relayed
 * conversations and ticket commands; the flows module owns guided conversations).
 */
export async function openFlows(
  db: Database,
  deps: CoreDeps,
  options: GuichetOptions & { dialogsDir: string; configDir: string; knowledge?: IndexedKnowledgeBase; desk?: TicketDeskService; handoff?: Handoff; groupIds?: string[] },
): Promise<{ flows: Flow[]; report: FlowsReport }> {
  const flows = loadFlows(options.dialogsDir, { serviceIds: loadServiceIds(options.configDir), ...(options.cacheDir ? { cache: { file: join(options.cacheDir, 'flows.bin') } } : {}) });
  const router = options.cacheDir
    ? await cachedRouter(flows, { file: join(options.cacheDir, 'intent-classifier.bin'), log: (fields, message) => options.logger?.info(fields, message) })
    : trainRouter(flows);
  deps.intents = {
    ...createIntentRecognizer(router.classifier),
    title: (id) => flows.find((f) => f.id === id)?.title,
    service: (id) => flows.find((f) => f.id === id)?.service ?? undefined,
  };
  deps.routing = { ...loadRoutingSettings(options.configDir), topics: flows.map((f) => ({ id: f.id, title: f.title })), ...(options.timeZone ? { timeZone: options.timeZone } : {}) };
  const securityGroup = deps.routing.security?.group;
  if (securityGroup && options.groupIds && !options.groupIds.includes(securityGroup)) {
    throw new GuichetError('nlu.invalid-config', `nlu: ${join(options.configDir, 'security.yml')}: "group" names no group of groups.yml (${securityGroup})`);
  }
  deps.offerHelp = options.desk !== undefined;
  deps.modules = [
    ...(deps.modules ?? []),
    createFlowsModule({
      flows,
      desk: options.desk,
      handoff: options.handoff,
      incidents: options.incidents,
      knowledge: options.knowledge,
      timeZone: options.timeZone,
      recordResolved: async ({ conversationId, userId, flowId, serviceId }) => {
        await db.client.auditLog.create({ data: { ...FLOW_RESOLVED, entityId: conversationId, actorId: userId, actorKind: 'user', after: { flowId, serviceId } } });
      },
      entities: (text) => ({ 'error-code': errorCodes(text)[0], 'asset-tag': assetTags(text)[0] }),
    }),
  ];
  const report: FlowsReport = {
    flows: flows.length,
    examples: router.examples,
    intents: router.classifier.intents.length,
    threshold: router.classifier.threshold,
    trainMs: Math.round(router.trainMs),
  };
  return { flows, report };
}
