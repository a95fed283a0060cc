/**
 * The ten flows of dialogs/, in both languages: each loads, each has a path
 * that ends resolved with the user's confirmation and a path that ends in a
 * ticket carrying the diagnosis. Scripts use button values (language-neutral)
 * and, for free text, what a user of that language would type.
 */
import { describe, expect, it } from 'vitest';
import type { Lang, Localized } from '../../../src/core/lang.ts';
import type { Flow } from '../../../src/flows/schema.ts';
import { FlowDriver, LAPTOP, PHONE, realFlows } from './flow-driver.ts';

type Said = string | Localized;

interface TicketExpectation {
  type: 'incident' | 'request';
  category: string;
  impact: 'low' | 'medium' | 'high';
  urgency: 'low' | 'medium' | 'high';
  approval?: 'manager' | 'owner';
  approver?: string;
}

interface Script {
  say: Said[];
  /** The diagnosis' step nodes in order (questions, advice, findings). */
  steps: string[];
  /** Free text the ticket description must quote. */
  quotes?: Said[];
  ticket?: TicketExpectation;
}

const fr = (f: string, e: string): Localized => ({ fr: f, en: e });

const SCRIPTS: Record<string, { service: string; resolved: Script; ticket: Script }> = {
  vpn: {
    service: 'vpn',
    resolved: { say: ['home', 'yes', 'fails', fr('erreur 809', 'error 809'), 'no', 'yes'], steps: ['where', 'internet', 'symptom', 'error', 'restarted', 'restart-advice', 'restart-check'] },
    ticket: {
      say: ['home', 'yes', 'fails', fr('erreur 809', 'error 809'), 'no', 'no', 'no'],
      steps: ['where', 'internet', 'symptom', 'error', 'restarted', 'restart-advice', 'restart-check', 'search-error', 'device'],
      quotes: ['809', 'LT-004211'],
      ticket: { type: 'incident', category: 'remote-access', impact: 'low', urgency: 'medium' },
    },
  },
  password: {
    service: 'identity',
    resolved: { say: ['forgot', 'yes', 'yes'], steps: ['problem', 'authenticator', 'search-reset'] },
    ticket: {
      say: ['locked', 'yes', 'no', fr('« Votre compte a été verrouillé » sur Windows', '"Your account has been locked" on Windows')],
      steps: ['problem', 'relocks', 'search-relock', 'message'],
      quotes: [fr('« Votre compte a été verrouillé » sur Windows', '"Your account has been locked" on Windows')],
      ticket: { type: 'incident', category: 'account-access', impact: 'low', urgency: 'high' },
    },
  },
  mfa: {
    service: 'identity',
    resolved: { say: ['no-push', 'yes'], steps: ['issue', 'search-push'] },
    ticket: {
      say: ['other', fr("j'ai l'erreur AADSTS50076", 'I get error AADSTS50076'), 'no'],
      steps: ['issue', 'error', 'search-code'],
      quotes: ['AADSTS50076'],
      ticket: { type: 'incident', category: 'mfa', impact: 'low', urgency: 'high' },
    },
  },
  wifi: {
    service: 'network',
    resolved: { say: ['office', 'personal', 'yes'], steps: ['where', 'device-type', 'guest-advice', 'guest-check'] },
    ticket: {
      say: ['office', 'company', 'yes', 'yes', 'no'],
      steps: ['where', 'device-type', 'neighbours', 'sees-corp', 'search-cert', 'device'],
      quotes: ['LT-004211'],
      ticket: { type: 'incident', category: 'wifi', impact: 'low', urgency: 'medium' },
    },
  },
  outlook: {
    service: 'email',
    resolved: { say: ['mail-flow', 'yes', 'yes'], steps: ['symptom', 'webmail', 'app-advice', 'app-check'] },
    ticket: {
      say: ['password-loop', 'no', fr('Depuis ce matin, la fenêtre de mot de passe revient sans arrêt', 'Since this morning the password prompt keeps coming back')],
      steps: ['symptom', 'search-loop', 'details'],
      quotes: [fr('la fenêtre de mot de passe revient sans arrêt', 'the password prompt keeps coming back')],
      ticket: { type: 'incident', category: 'mailbox', impact: 'low', urgency: 'medium' },
    },
  },
  printer: {
    service: 'printing',
    resolved: { say: ['nothing', 'no', 'yes'], steps: ['problem', 'job-listed', 'search-badge'] },
    ticket: {
      say: ['error', fr('Erreur E000-0001, remplacer le toner', 'Error E000-0001, replace toner'), 'PRN-PAR-3-02'],
      steps: ['problem', 'printer-error', 'printer'],
      quotes: ['E000-0001', 'PRN-PAR-3-02'],
      ticket: { type: 'incident', category: 'printer', impact: 'low', urgency: 'low' },
    },
  },
  'slow-computer': {
    service: 'workstation',
    resolved: { say: ['slow', 'no', 'yes'], steps: ['symptom', 'restarted', 'restart-advice', 'restart-check'] },
    ticket: {
      say: ['bitlocker', 'no'],
      steps: ['symptom', 'search-bitlocker', 'device'],
      quotes: ['LT-004211'],
      ticket: { type: 'incident', category: 'performance', impact: 'low', urgency: 'high' },
    },
  },
  'software-request': {
    service: 'software',
    resolved: { say: ['Notepad++', 'found', 'yes'], steps: ['what', 'portal', 'install-advice', 'install-check'] },
    ticket: {
      say: ['Adobe Acrobat Pro', 'missing', 'paid', fr('Signer et modifier les contrats PDF des clients', 'Sign and edit customer PDF contracts')],
      steps: ['what', 'portal', 'licence', 'reason', 'request-device'],
      quotes: ['Adobe Acrobat Pro', fr('contrats PDF des clients', 'customer PDF contracts')],
      ticket: { type: 'request', category: 'software-licence', impact: 'low', urgency: 'low', approval: 'manager' },
    },
  },
  'access-request': {
    service: 'file-shares',
    resolved: { say: ['yes', 'yes'], steps: ['had-access', 'search-lost'] },
    ticket: {
      say: ['no', 'folder', 'S:\\Finance\\Budget 2027', 'write', fr('Je remplace Paul pendant son congé', 'Covering for Paul during his leave'), 'Marie.Durand@example.com'],
      steps: ['had-access', 'resource', 'path', 'access', 'reason', 'owner'],
      quotes: ['S:\\Finance\\Budget 2027', 'marie.durand@example.com'],
      ticket: { type: 'request', category: 'access', impact: 'low', urgency: 'low', approval: 'owner', approver: 'marie.durand@example.com' },
    },
  },
  hardware: {
    service: 'workstation',
    resolved: { say: ['broken', 'laptop', 'no-power', 'yes'], steps: ['what', 'broken-kind', 'damage', 'power-advice', 'power-check'] },
    ticket: {
      say: ['lost', 'laptop', fr('Oublié dans le train Paris-Lyon hier soir', 'Left it on the Paris-Lyon train last night'), 'yes'],
      steps: ['what', 'lost-kind', 'lost-asset', 'circumstances', 'security-advice', 'police'],
      quotes: ['LT-004211', fr('Oublié dans le train Paris-Lyon', 'Left it on the Paris-Lyon train')],
      ticket: { type: 'incident', category: 'loss-theft', impact: 'medium', urgency: 'high' },
    },
  },
};

const inLang = (s: Said, lang: Lang): string => (typeof s === 'string' ? s : s[lang]);

function run(flows: Flow[], id: string, lang: Lang, script: Script): FlowDriver {
  const chat = new FlowDriver(flows, id, { lang, assets: [LAPTOP, PHONE] });
  chat.start(chat.flow.examples[lang][0]);
  for (const text of script.say) {
    expect(chat.ended, `flow ended before "${inLang(text, lang)}"`).toBe(false);
    chat.user(inLang(text, lang));
  }
  return chat;
}

describe('the flows of dialogs/', () => {
  const flows = realFlows();

  it('all load, one per expected id, each with a search, and a major-incident check', () => {
    expect(flows.map((f) => f.id)).toEqual(Object.keys(SCRIPTS).sort());
    for (const flow of flows) {
      const kinds = Object.values(flow.nodes).map((n) => (n.kind === 'check' ? n.check : n.kind));
      expect(kinds, flow.id).toContain('search');
      expect(kinds, flow.id).toContain('major-incident');
      expect(flow.service, flow.id).toBe(SCRIPTS[flow.id]?.service);
    }
  });

  for (const [id, scripts] of Object.entries(SCRIPTS)) {
    for (const lang of ['fr', 'en'] as const) {
      describe(`${id} (${lang})`, () => {
        it('ends resolved once the user confirms, with no ticket', () => {
          const chat = run(flows, id, lang, scripts.resolved);
          expect(chat.ended).toBe(true);
          expect(chat.outcome).toBe('resolved');
          expect(chat.effects.filter((e) => e.kind === 'resolved')).toEqual([{ kind: 'resolved', flowId: id, serviceId: scripts.service }]);
          expect(chat.tickets()).toEqual([]);
          // The last thing the user did was say yes, to "did this fix it?" or "is it working now?".
          const asked = chat.results.at(-2)?.replies.at(-1);
          expect(asked?.type === 'choices' && asked.choices.map((c) => c.value)).toEqual(['yes', 'no']);
        });

        it('ends in a ticket whose description holds the diagnosis', () => {
          const chat = run(flows, id, lang, scripts.ticket);
          expect(chat.outcome).toBe('ticket');
          const [ticket, ...more] = chat.tickets();
          expect(more).toEqual([]);
          const { approval, approver, ...expected } = scripts.ticket.ticket ?? {};
          expect(ticket).toMatchObject({ ...expected, serviceId: scripts.service, flowId: id });
          expect(ticket?.approval).toBe(approval);
          expect(ticket?.approver).toBe(approver);
          expect(ticket?.diagnosis.steps.map((s) => s.node)).toEqual(scripts.ticket.steps);
          const description = ticket?.description ?? '';
          expect(description).toContain(lang === 'fr' ? 'Diagnostic mené avec Guichet' : 'Diagnosis done with Guichet');
          for (const s of ticket?.diagnosis.steps ?? []) {
            expect(description).toContain(s.text[lang].slice(0, 60));
            if (s.answer) expect(description).toContain(`→ ${s.answer[lang]}`);
          }
          for (const quote of scripts.ticket.quotes ?? []) expect(description).toContain(inLang(quote, lang));
          expect(ticket?.title).not.toMatch(/[{}…]/);
          expect(description).not.toMatch(/\{[a-z_]+\}/);
        });
      });
    }
  }

  it('speaks the user language in every reply (no text of the other language leaks)', () => {
    for (const [id, scripts] of Object.entries(SCRIPTS)) {
      const texts = (lang: Lang) => run(flows, id, lang, scripts.ticket).replies.map(FlowDriver.textOf);
      const [frTexts, enTexts] = [texts('fr'), texts('en')];
      expect(frTexts.length, id).toBe(enTexts.length);
      for (const t of frTexts) expect(enTexts, id).not.toContain(t);
    }
  });
});

describe('flow paths beyond the two scripted ones', () => {
  const flows = realFlows();

  it('wifi: colleagues without Wi-Fi either → one ticket with high impact and urgency for the area', () => {
    const chat = new FlowDriver(flows, 'wifi', { lang: 'fr' });
    chat.start('pas de wifi au 3e');
    chat.say(['office', 'company', 'no', 'Bâtiment A, 3e étage, open space']);
    expect(chat.tickets()[0]).toMatchObject({ category: 'wifi-outage', impact: 'high', urgency: 'high', title: 'Wi-Fi en panne pour plusieurs personnes : Bâtiment A, 3e étage, open space' });
  });

  it('mfa: a lost phone opens a security ticket and hands off to a human at once', () => {
    const chat = new FlowDriver(flows, 'mfa', { lang: 'en' });
    chat.start('lost my phone with the authenticator app');
    chat.say(['lost']);
    expect(chat.outcome).toBe('handoff');
    expect(chat.effects.map((e) => e.kind)).toEqual(['create-ticket', 'handoff']);
    expect(chat.tickets()[0]).toMatchObject({ category: 'mfa-lost-device', urgency: 'high', impact: 'medium' });
  });

  it('software-request: free software not in Company Portal is a request approved by the manager', () => {
    const chat = new FlowDriver(flows, 'software-request', { lang: 'fr' });
    chat.start('installer 7zip');
    chat.say(['7-Zip', 'missing', 'free', 'Décompresser les archives des fournisseurs']);
    expect(chat.tickets()[0]).toMatchObject({ type: 'request', category: 'software-install', approval: 'manager' });
  });

  it('software-request: an install stuck in Company Portal becomes an incident, without approval', () => {
    const chat = new FlowDriver(flows, 'software-request', { lang: 'en' });
    chat.start('company portal install stuck on pending');
    chat.say(['Power BI Desktop', 'found', 'no', 'no']);
    const [ticket] = chat.tickets();
    expect(ticket).toMatchObject({ type: 'incident', category: 'software-install-failure', title: "Power BI Desktop won't install from Company Portal" });
    expect(ticket?.approval).toBeUndefined();
  });

  it('access-request: an application, or an owner the user does not know, is approved by the manager', () => {
    const app = new FlowDriver(flows, 'access-request', { lang: 'en' });
    app.start('I need access to Salesforce');
    app.say(['no', 'app', 'Salesforce', 'read', 'Follow up the accounts of my region']);
    expect(app.tickets()[0]).toMatchObject({ category: 'application-access', approval: 'manager' });
    const folder = new FlowDriver(flows, 'access-request', { lang: 'fr' });
    folder.start('accès au dossier RH');
    folder.say(['no', 'folder', 'S:\\RH\\Formations', 'read', 'Préparer le plan de formation 2027', 'je ne sais pas']);
    const [ticket] = folder.tickets();
    expect(ticket).toMatchObject({ approval: 'manager' });
    expect(ticket?.approver).toBeUndefined();
  });

  it('hardware: a broken laptop the inventory knows is named in the repair ticket', () => {
    const chat = new FlowDriver(flows, 'hardware', { lang: 'fr', assets: [LAPTOP, PHONE] });
    chat.start("j'ai cassé l'écran de mon pc portable");
    chat.say(['broken', 'laptop', 'screen', "Tombé de la table, l'écran est fissuré"]);
    expect(chat.tickets()[0]).toMatchObject({ category: 'hardware', urgency: 'medium', title: 'PC portable en panne : Écran cassé ou fissuré' });
    expect(chat.tickets()[0]?.diagnosis.assets).toEqual([LAPTOP]);
  });

  it('slow-computer: an ordinary slowness ticket keeps the default urgency', () => {
    const chat = new FlowDriver(flows, 'slow-computer', { lang: 'en' });
    chat.start('my pc is frozen');
    chat.say(['frozen', 'yes', 'no', 'days']);
    expect(chat.tickets()[0]).toMatchObject({ urgency: 'medium', title: 'It freezes or stops responding (PC LT-004211)' });
  });
});
