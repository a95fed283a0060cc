/**
 * The directory actions' texts (see index.ts): the one-time code e-mail, and one sentence per outcome
 * of an action (src/directory/outcome-text.ts picks it).
 */
import type { TextTable } from './define.ts';

export const directory = {
  codeMailSubject: {
    fr: 'Guichet : votre code de vérification {code}',
    en: 'Guichet: your verification code {code}',
  },
  codeMailBody: {
    fr: "Bonjour {name},\n\nVous avez demandé au support informatique : {action}.\nVotre code de vérification est {code}. Il expire dans {minutes} minutes.\n\nSi vous n'êtes pas à l'origine de cette demande, ne communiquez ce code à personne et prévenez le support informatique.",
    en: "Hello {name},\n\nYou asked the IT service desk to: {action}.\nYour verification code is {code}. It expires in {minutes} minutes.\n\nIf you did not ask for this, do not share this code with anyone and tell the IT service desk.",
  },
  actionStatus: { fr: "consulter l'état de votre compte", en: 'check the status of your account' },
  actionUnlock: { fr: 'déverrouiller votre compte', en: 'unlock your account' },
  actionResetPassword: { fr: 'réinitialiser votre mot de passe', en: 'reset your password' },
  actionResetMfa: { fr: "réenregistrer votre authentification multifacteur", en: 'register your multi-factor authentication again' },
  actionAddToGroup: { fr: "vous ajouter au groupe {group}", en: 'add you to the group {group}' },
  actionRemoveFromGroup: { fr: 'vous retirer du groupe {group}', en: 'remove you from the group {group}' },

  codeSent: {
    fr: 'Pour vérifier votre identité, un code à 6 chiffres vient d’être envoyé à {to}. Donnez-le-moi ici (il expire dans 10 minutes).',
    en: 'To check it is you, a 6-digit code has just been sent to {to}. Give it to me here (it expires in 10 minutes).',
  },
  unlocked: { fr: 'Votre compte est déverrouillé. Vous pouvez vous reconnecter.', en: 'Your account is unlocked. You can sign in again.' },
  notLocked: { fr: "Votre compte n'était pas verrouillé : rien à faire.", en: 'Your account was not locked: nothing to do.' },
  resetLink: {
    fr: 'Choisissez votre nouveau mot de passe sur cette page (lien valable 15 minutes, une seule fois) : {link}',
    en: 'Choose your new password on this page (the link works once, for 15 minutes): {link}',
  },
  mfaReset: {
    fr: 'Vos méthodes d’authentification multifacteur ont été supprimées et vos sessions fermées. À votre prochaine connexion, vous en enregistrerez une nouvelle.',
    en: 'Your multi-factor authentication methods were removed and your sessions ended. You will register a new one at your next sign-in.',
  },
  groupAdded: { fr: 'Vous êtes maintenant membre du groupe {group}.', en: 'You are now a member of the group {group}.' },
  groupRemoved: { fr: "Vous n'êtes plus membre du groupe {group}.", en: 'You are no longer a member of the group {group}.' },
  status: {
    fr: 'Votre compte : verrouillé {locked}, désactivé {disabled}, mot de passe expiré {expired}, mot de passe changé le {changed}.',
    en: 'Your account: locked {locked}, disabled {disabled}, password expired {expired}, password last changed {changed}.',
  },
  yes: { fr: 'oui', en: 'yes' },
  no: { fr: 'non', en: 'no' },
  dryRun: { fr: 'Mode essai : {action} aurait été fait, rien n’a été modifié.', en: 'Dry run: would {action}; nothing was changed.' },

  refusedNoEntry: {
    fr: "Je ne trouve pas votre compte dans l'annuaire. Le support informatique va vous aider.",
    en: "I cannot find your account in the directory. The service desk will help you.",
  },
  refusedSeveralEntries: {
    fr: "Plusieurs comptes de l'annuaire correspondent à votre identité : je ne peux pas agir sans risque d'erreur. Le support informatique va vous aider.",
    en: 'Several directory accounts match your identity: I cannot act without risking a mistake. The service desk will help you.',
  },
  refusedUnverified: {
    fr: "Votre adresse e-mail n'est pas vérifiée par votre messagerie : je ne peux pas vous identifier.",
    en: 'Your chat platform has not verified your e-mail address: I cannot identify you.',
  },
  refusedDisabledAction: { fr: "Cette action n'est pas proposée en libre-service.", en: 'This action is not offered as self-service.' },
  refusedNotAllowed: { fr: "Cette action ne vous est pas ouverte en libre-service.", en: 'This action is not open to you as self-service.' },
  refusedPrivileged: {
    fr: 'Votre compte est un compte à privilèges : seul un administrateur peut le modifier. Le support informatique va vous aider.',
    en: 'Yours is a privileged account: only an administrator can change it. The service desk will help you.',
  },
  refusedLimit: {
    fr: "Vous avez atteint la limite de {limit} demandes par jour pour cette action. Le support informatique va vous aider.",
    en: 'You reached the limit of {limit} requests a day for this action. The service desk will help you.',
  },
  refusedGroup: { fr: "Le groupe {group} ne peut pas être attribué en libre-service.", en: 'The group {group} cannot be granted as self-service.' },
  refusedApproval: { fr: "L'accès au groupe {group} demande une approbation : indiquez sa référence.", en: 'Access to the group {group} needs an approval: give its reference.' },
  refusedNoChannel: {
    fr: "Aucun second moyen de contact n'est enregistré pour vous : je ne peux pas vérifier votre identité. Le support informatique va vous aider.",
    en: 'No second contact is registered for you: I cannot check your identity. The service desk will help you.',
  },
  refusedCodeMismatch: { fr: 'Ce code ne correspond pas. Il vous reste {attempts} essai(s).', en: 'That code does not match. You have {attempts} attempt(s) left.' },
  refusedCodeExpired: { fr: 'Ce code a expiré ou a déjà servi. Recommencez la demande.', en: 'That code expired or was already used. Start the request again.' },
  refusedTooManyAttempts: {
    fr: 'Trop de codes erronés : la demande est bloquée et un incident de sécurité est ouvert.',
    en: 'Too many wrong codes: the request is blocked and a security incident is opened.',
  },
  refusedAccountDisabled: {
    fr: "Votre compte est désactivé : seul le support informatique peut le réactiver.",
    en: 'Your account is disabled: only the service desk can enable it again.',
  },
  failedUnreachable: {
    fr: "L'annuaire ne répond pas pour le moment : rien n'a été modifié. Réessayez dans quelques minutes ou contactez le support informatique.",
    en: 'The directory is not answering right now: nothing was changed. Try again in a few minutes or contact the service desk.',
  },
  failedRefused: {
    fr: "L'annuaire a refusé l'opération : rien n'a été modifié. Le support informatique va vous aider.",
    en: 'The directory refused the operation: nothing was changed. The service desk will help you.',
  },
  failedUnsupported: {
    fr: "Votre annuaire ne permet pas cette action. Le support informatique va vous aider.",
    en: 'Your directory does not allow this action. The service desk will help you.',
  },
  passwordRefused: {
    fr: "Ce mot de passe ne respecte pas la politique de l'annuaire ({detail}). Choisissez-en un autre.",
    en: "This password does not meet the directory's policy ({detail}). Choose another one.",
  },
  passwordChanged: { fr: 'Votre mot de passe est changé.', en: 'Your password is changed.' },
  resetLinkInvalid: {
    fr: 'Ce lien de réinitialisation a expiré ou a déjà servi. Demandez-en un nouveau au support.',
    en: 'This reset link expired or was already used. Ask the service desk for a new one.',
  },
} satisfies TextTable;
