/** Slack's own surfaces, the ticket modal and the Home tab: input to the core as actions, its answers shown (docs/slack.md). */
import type { webApi } from '@slack/bolt';
import type { TurnResult } from '../../core/handle-turn.ts';
import { toLang, type Lang } from '../../core/lang.ts';
import type { InboundMessage, OutboundMessage } from '../../core/messages.ts';
import { CREATE_FORM_ACTION, HOME_ACTION, OPEN_FORM_ACTION } from '../../core/ticket-form.ts';
import type { Logger } from '../../log.ts';
import { say } from '../../texts/index.ts';
import type { SlackDirectory } from './directory.ts';
import { homeView } from './blocks.ts';
import { toInbound, type HomeOpened, type ModalRequest, type Profile, type SlackTurn, type Submission, type Translation } from './inbound.ts';
import { checkSubmission, createdModal, modalLang, ticketModal, type SlackService } from './modal.ts';
import { renderForSlack } from './outbound.ts';
import type { SlackSender } from './sender.ts';

/** How long a modal submission may take before Slack's 3 s ack deadline gets close. */
const SUBMISSION_BUDGET_MS = 2_500;

type Ack = (response?: object) => Promise<void>;

export interface SurfacesDeps {
  turn(message: InboundMessage): Promise<TurnResult>;
  /** Runs an ordinary turn (the help asked for by `/guichet` alone when there is no ticket desk). */
  runTurn(translation: Translation & { kind: 'turn' }): Promise<void>;
  log: Logger;
  client: webApi.WebClient;
  directory: SlackDirectory;
  sender: SlackSender;
  services: readonly SlackService[];
  defaultLang: Lang;
  submissionBudgetMs?: number;
}

export function createSurfaces(deps: SurfacesDeps) {
  const { log, directory, services } = deps;
  const serviceIds = new Set(services.map((s) => s.id));
  /** Slack's locale for the user: the language when the core cannot say. */
  const slackLang = (profile: Profile): Lang => toLang(profile.locale) ?? deps.defaultLang;
  const turnOf = (t: Omit<SlackTurn, 'text'>, profile: Profile, lang?: Lang) => deps.turn({ ...toInbound({ ...t, text: '' }, profile), ...(lang ? { lang } : {}) });

  async function openModal(request: ModalRequest): Promise<void> {
    const { teamId, userId, triggerId, command } = request;
    try {
      if (services.length === 0) {
        // No ticket desk: `/guichet` alone asks for help ("?"), answered like `/guichet <text>`.
        if (command) await deps.runTurn({ kind: 'turn', turn: { deliveryId: `command:${triggerId}`, teamId, userId, text: '?', place: { kind: 'command', ...command } } });
        return;
      }
      const profile = await directory.profile(teamId, userId);
      // The user's language is the core's to settle; if the core cannot answer now, Slack's locale (the form is still useful).
      const lang = await turnOf({ deliveryId: `modal:${triggerId}`, teamId, userId, action: { verb: OPEN_FORM_ACTION, data: {} }, place: { kind: 'home' } }, profile).then(
        (result) => result.lang,
        (err: unknown) => {
          log.warn({ err }, 'slack: the core could not be asked; the ticket modal opens in the Slack locale');
          return slackLang(profile);
        },
      );
      await deps.client.views.open({ trigger_id: triggerId, view: ticketModal(lang, services) });
    } catch (err) {
      log.error({ err }, 'slack: the ticket modal could not be opened');
    }
  }

  /** A submitted ticket modal: errors back into the modal, or the core's ticket, the modal updated and the card in the DM. */
  async function submit(ack: Ack, submission: Submission | undefined): Promise<void> {
    const lang = modalLang(submission?.privateMetadata);
    const problem = (description: string) => ({ response_action: 'errors', errors: { description } });
    if (!submission) {
      log.warn('slack: a malformed ticket modal submission was ignored');
      return ack();
    }
    if (services.length === 0) return ack(problem(say(lang, 'channels.errNoDesk')));
    const checked = checkSubmission(submission.state, lang, serviceIds);
    if (!checked.ok) return ack({ response_action: 'errors', errors: checked.errors });
    const { teamId, userId, viewId } = submission;
    const { serviceId: service, ...fields } = checked.form;
    let acked = false;
    const ackOnce = async (response?: object): Promise<void> => {
      if (acked) return;
      acked = true;
      await ack(response);
    };
    // Slower than the budget: the modal closes now, and the card still follows in the DM.
    const late = () => ackOnce().catch((err: unknown) => log.warn({ err }, 'slack: a slow ticket modal could not be acknowledged'));
    const timer = setTimeout(late, deps.submissionBudgetMs ?? SUBMISSION_BUDGET_MS);
    try {
      const [profile, dm] = await Promise.all([directory.profile(teamId, userId), directory.dmChannel(teamId, userId)]);
      const action = { verb: CREATE_FORM_ACTION, data: { service, ...fields } };
      const result = await turnOf({ deliveryId: `view:${viewId}`, teamId, userId, action, place: { kind: 'dm', channel: dm } }, profile, lang);
      const card = result.replies.find((r) => r.type === 'ticket');
      const said = result.replies.find((r) => r.type === 'text')?.text ?? say(lang, 'channels.errCreate');
      await ackOnce(card ? { response_action: 'update', view: createdModal(lang, card.ticket.number) } : problem(said));
      if (!card || result.duplicate) {
        if (result.duplicate) log.info({ viewId }, 'slack: a ticket modal was submitted again; the ticket exists, nothing sent again');
        return;
      }
      await deps.sender.post({ channel: dm }, result.replies.map((r) => renderForSlack(inTimeZone(r, profile.timeZone))));
    } catch (err) {
      log.error({ err }, 'slack: a ticket from the modal could not be created or confirmed');
      await ackOnce(problem(say(lang, 'channels.errCreate')));
    } finally {
      clearTimeout(timer);
    }
  }

  /** app_home_opened on the Home tab: the core's answer to `home.open`, published. */
  async function publishHome(opened: HomeOpened): Promise<void> {
    const { teamId, userId, deliveryId } = opened;
    const profile = await directory.profile(teamId, userId);
    const homeTurn = { deliveryId, teamId, userId, action: { verb: HOME_ACTION, data: {} }, place: { kind: 'home' as const } };
    const asked = services.length > 0 && (await turnOf(homeTurn, profile));
    const content = asked ? { lang: asked.lang, replies: asked.replies, canCreate: true } : { lang: slackLang(profile), replies: [], canCreate: false };
    await deps.client.views.publish({ user_id: userId, view: homeView({ ...content, ...(profile.timeZone ? { timeZone: profile.timeZone } : {}) }) });
  }

  return { openModal, submit, publishHome };
}

/** Ticket messages shown in the user's own Slack time zone, when Slack tells it. */
function inTimeZone(message: OutboundMessage, timeZone: string | undefined): OutboundMessage {
  if (!timeZone || (message.type !== 'ticket' && message.type !== 'tickets')) return message;
  return { ...message, timeZone };
}
