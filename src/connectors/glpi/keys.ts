/** Keys of the GLPI store's values (GlpiStore.getValue / setValue) that several parts of the connector share. */

/** Marks a ticket whose resolution came from GLPI without a solution waiting (the user's answer still goes back). */
export const resolvedInGlpiKey = (number: number) => `resolved-in-glpi:${number}`;

/** The GLPI group Guichet last knew the GLPI ticket assigned to (sent at creation, then followed). */
export const knownGroupKey = (glpiId: number) => `group-known:${glpiId}`;
