/**
 * French/English language identification for short chat messages.
 *
 * Chat messages are short ("bonjour", "vpn ko", "can't print"), where
 * character n-gram detectors are unreliable. We score the words instead:
 * function words and common service-desk words of each language, plus
 * French diacritics and elision ("j'ai", "l'imprimante"). Words that both
 * languages share ("wifi", "vpn", "teams") count for neither, so a message
 * made only of them keeps the fallback language (the conversation's).
 */
import type { Lang } from '../core/lang.ts';

export type { Lang } from '../core/lang.ts';
export { LANGS, toLang } from '../core/lang.ts';

export interface LanguageGuess {
  lang: Lang;
  /** 0 (no evidence, fallback used) to 1 (only one language's words). */
  confidence: number;
}

const FRENCH = new Set(
  `le la les un une des du de au aux et ou mais donc car ni je tu il elle on nous vous ils elles
  me te se moi toi lui leur leurs mon ma mes ton ta tes son sa ses notre votre nos vos ce cet cette
  ces qui que quoi dont où est sont suis es êtes sommes ai as avons avez ont pas plus ne n'est
  avec sans pour par sur sous dans chez vers très trop bien aussi encore déjà toujours jamais rien
  bonjour bonsoir salut merci svp stp oui non aide aider besoin veux voudrais peux pouvez puis
  marche fonctionne fonctionner plante bloqué bloquée oublié oubliée mot passe mdp ordinateur ordi
  imprimante imprimer réseau courriel messagerie écran clavier souris téléphone portable logiciel
  installer accès dossier partagé compte problème erreur panne lent lente demande ticket agent
  humain annuler statut mes quel quelle comment pourquoi quand combien depuis ça cela ceci faire
  fait arrive arrivent connecter connexion impossible nouveau nouvelle mise jour réunion appel`.split(/\s+/),
);

const ENGLISH = new Set(
  `the a an and or but so of to in on at for from with without by about into over under is are
  am was were be been being have has had do does did not no yes i you he she it we they me him her
  us them my your his its our their this that these those what which who whom how why when where
  can could would should will shall may might must hello hi hey thanks thank please help need want
  works working work broken stuck forgot forgotten password computer laptop printer print network
  screen keyboard mouse phone software install access folder shared account issue problem error
  slow request ticket agent human cancel status my new update meeting call connect connection
  cannot can't won't doesn't isn't don't keeps still again there here just`.split(/\s+/),
);

const WORD = /[\p{L}\p{M}']+/gu;
const FRENCH_LETTERS = /[àâçéèêëîïôûùüÿœæ]/i;
const FRENCH_ELISION = /^(?:j|l|d|n|m|t|s|c|qu)'\p{L}/u;

/** Guesses the language of `text`; returns `fallback` with confidence 0 when nothing tells. */
export function detectLanguage(text: string, fallback: Lang = 'en'): LanguageGuess {
  let fr = 0;
  let en = 0;
  for (const raw of text.normalize('NFC').toLowerCase().replace(/’/g, "'").match(WORD) ?? []) {
    const inFr = FRENCH.has(raw);
    const inEn = ENGLISH.has(raw);
    if (inFr && !inEn) fr += 1;
    else if (inEn && !inFr) en += 1;
    if (FRENCH_ELISION.test(raw)) fr += 1;
    else if (FRENCH_LETTERS.test(raw)) fr += 0.5;
  }
  if (fr === en) return { lang: fallback, confidence: 0 };
  const lang: Lang = fr > en ? 'fr' : 'en';
  return { lang, confidence: Math.abs(fr - en) / (fr + en) };
}
