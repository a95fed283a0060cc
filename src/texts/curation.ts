/** What admins' knowledge curation (`kb …` in a conversation, src/knowledge/curation.ts) says. */
import type { TextTable } from './define.ts';

export const curation = {
  adminsOnly: {
    fr: 'Seuls les administrateurs peuvent modifier la base de connaissances.',
    en: 'Only administrators can change the knowledge base.',
  },
  usage: {
    fr: [
      '**Curation de la base de connaissances**',
      '- `kb chercher <requête>` — brouillons compris',
      '- `kb afficher <ID> [fr|en]`',
      '- `kb nouveau <faq|known-error|procedure> [fr|en]` — un modèle avec le prochain identifiant',
      '- `kb brouillon` suivi du texte de l’article (front matter + corps) — enregistre un brouillon',
      '- `kb enregistrer` suivi du texte — enregistre avec le statut indiqué',
      '- `kb publier <ID> [fr|en]`, `kb retirer <ID> [fr|en]`',
      '- `kb depuis-ticket <numéro> [service]` — brouillon de FAQ à partir d’un ticket résolu',
    ].join('\n'),
    en: [
      '**Knowledge curation**',
      '- `kb search <query>` — drafts included',
      '- `kb show <ID> [fr|en]`',
      '- `kb new <faq|known-error|procedure> [fr|en]` — a template with the next free id',
      '- `kb draft` followed by the article text (front matter + body) — saves a draft',
      '- `kb save` followed by the text — saves with the status written in it',
      '- `kb publish <ID> [fr|en]`, `kb retire <ID> [fr|en]`',
      '- `kb from-ticket <number> [service]` — an FAQ draft from a resolved ticket',
    ].join('\n'),
  },
  nothingFound: { fr: 'Aucun article trouvé.', en: 'No article found.' },
  needId: { fr: 'Indiquez un identifiant d’article, par exemple KE-0003.', en: 'Give an article id, e.g. KE-0003.' },
  unknownArticle: { fr: 'Aucun article {id}.', en: 'No article {id}.' },
  articleHeader: {
    fr: '**{id}** ({lang}) — statut {status}, révision {revision}, source {source}',
    en: '**{id}** ({lang}) — status {status}, revision {revision}, source {source}',
  },
  needType: { fr: 'Indiquez le type : {types}.', en: 'Give the type: {types}.' },
  templateIntro: {
    fr: 'Complétez ce modèle et renvoyez-le tel quel (commande comprise) :',
    en: 'Fill in this template and send it back as it is (command included):',
  },
  needArticleText: {
    fr: 'Après `kb brouillon`, collez le texte complet de l’article sur les lignes suivantes (front matter entre `---` puis le corps). `kb nouveau faq` donne un modèle.',
    en: 'After `kb draft`, paste the whole article on the following lines (front matter between `---` lines, then the body). `kb new faq` gives a template.',
  },
  invalidArticle: { fr: 'Article non enregistré :', en: 'Article not saved:' },
  saved: { fr: '{id} ({lang}) enregistré, statut {status}.', en: '{id} ({lang}) saved, status {status}.' },
  unchanged: { fr: '{id} ({lang}) : aucun changement.', en: '{id} ({lang}): nothing changed.' },
  published: { fr: '{id} publié ({langs}).', en: '{id} published ({langs}).' },
  retired: { fr: '{id} retiré ({langs}).', en: '{id} retired ({langs}).' },
  needTicket: { fr: 'Indiquez un numéro de ticket, par exemple `kb depuis-ticket 42`.', en: 'Give a ticket number, e.g. `kb from-ticket 42`.' },
  ticketNotResolved: { fr: 'Le ticket #{number} n’existe pas ou n’est pas résolu.', en: 'Ticket #{number} does not exist or is not resolved.' },
  needService: { fr: 'Indiquez le service de l’article, parmi : {services}.', en: 'Give the article’s service, one of: {services}.' },
  draftedFromTicket: {
    fr: 'Brouillon {id} créé à partir du ticket #{number}. Relisez-le, corrigez-le avec `kb brouillon`, puis `kb publier {id}`.',
    en: 'Draft {id} created from ticket #{number}. Review it, fix it with `kb draft`, then `kb publish {id}`.',
  },
} satisfies TextTable;
