/** Timeline lines in the viewer's language, and the files an event carries. */
import { z } from 'zod';
import type { Lang } from '../../core/lang.ts';
import { inboundFileSchema, MAX_FILES, type InboundFile } from '../../core/files.ts';
import { statusLabel } from '../../core/ticket-texts.ts';
import type { TicketStatus } from '../../core/tickets.ts';
import { say } from '../../texts/index.ts';

export const filesSchema = z.array(inboundFileSchema).max(MAX_FILES);

const fileNames = (data: Record<string, unknown>): string => (filesOf(data).files ?? []).map((f) => f.name).join(', ');

/** The files an event's data holds, when it holds some (older or foreign data is left out, not trusted). */
export function filesOf(data: unknown): { files?: InboundFile[] } {
  const parsed = filesSchema.safeParse((data as { files?: unknown } | null)?.files);
  return parsed.success && parsed.data.length > 0 ? { files: parsed.data } : {};
}

/** One timeline line, in the viewer's language. */
export function describeEvent(kind: string, data: Record<string, unknown>, lang: Lang): string {
  const s = (key: string) => String(data[key] ?? '');
  switch (kind) {
    case 'created':
      return say(lang, 'tickets.evCreated');
    case 'status':
      return say(lang, 'tickets.evStatus', { from: statusLabel(lang, s('from') as TicketStatus), to: statusLabel(lang, s('to') as TicketStatus) });
    case 'assigned':
      return say(lang, 'tickets.evAssigned', { agent: s('assigneeName') || '…' });
    case 'info': {
      const names = fileNames(data);
      if (!s('text')) return say(lang, 'tickets.evFiles', { files: names });
      return say(lang, 'tickets.evInfo', { text: s('text') }) + (names ? ` — ${say(lang, 'tickets.evFiles', { files: names })}` : '');
    }
    case 'files':
      return say(lang, 'tickets.evFiles', { files: fileNames(data) });
    case 'reply':
      return say(lang, 'tickets.evReply', { text: s('text') });
    case 'note':
      return say(lang, 'tickets.evNote', { text: s('text') });
    case 'escalated':
      return data.type === 'functional' ? say(lang, 'tickets.evEscalatedFunctional', { group: s('groupName') || s('to'), level: s('level') }) : say(lang, 'tickets.evEscalatedHierarchical', { reason: s('reason') });
    case 'sla-warning':
      return say(lang, 'tickets.evSlaWarning', { target: say(lang, s('target') === 'response' ? 'tickets.response' : 'tickets.resolution') });
    case 'sla-breach':
      return say(lang, 'tickets.evSlaBreach', { target: say(lang, s('target') === 'response' ? 'tickets.response' : 'tickets.resolution') });
    case 'resolved':
      return say(lang, 'tickets.evResolved', { resolution: s('resolution') });
    case 'confirmed':
      return say(lang, 'tickets.evConfirmed');
    case 'reopened':
      return say(lang, 'tickets.evReopened');
    case 'auto-closed':
      return say(lang, 'tickets.evAutoClosed');
    case 'rated':
      return say(lang, 'tickets.evRated', { score: s('score') });
    case 'priority':
      return say(lang, 'tickets.evPriority', { from: s('from'), to: s('to') });
    case 'approval-requested':
      return say(lang, 'tickets.evApprovalRequested');
    case 'approval-granted':
      return say(lang, 'tickets.evApprovalGranted');
    case 'approval-rejected':
      return say(lang, 'tickets.evApprovalRejected');
    case 'linked':
      return say(lang, 'tickets.evLinked', { incident: s('incident') || s('duplicateOf') || s('knownError') });
    default:
      return kind;
  }
}
