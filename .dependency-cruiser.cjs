/**
 * Guichet's architecture, checked. Each rule below is one sentence of docs/architecture.md
 * ("Dependency rules"); test/unit/architecture.test.ts runs them over src/ in `npm test`, and
 * `npm run arch` prints the violations.
 *
 * Type-only imports count: a type taken from a layer is a dependency on that layer.
 * "core" in the layer rules means src/core and src/texts (the text catalogue sits beside the core and
 * imports only src/core/lang.ts).
 */

/** The composition root: the only places that know every part. */
const ROOT = '^src/(main\\.ts$|app/)';
/** A package in node_modules (or its @types), e.g. npm('express') or npm('@slack/[^/]+'). */
const npm = (name) => `(^|/)node_modules/(@types/)?${name}/`;

/** A domain layer that may import only `allowed` (folders of src/) besides itself. */
const layer = (folder, allowed, why) => ({
  name: `${folder}-imports-only-${allowed.length ? allowed.join('-') : 'itself'}`,
  comment: why,
  severity: 'error',
  from: { path: `^src/${folder}/` },
  to: { path: '^src/', pathNot: `^src/(${[folder, ...allowed].join('|')})/` },
});

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'No import circle anywhere in src/ (file level, type-only imports included): a circle is one idea split in two files, or a type without a home.',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'no-unresolvable',
      comment: 'Every import resolves: an import the cruiser cannot follow is one no rule can check.',
      severity: 'error',
      from: { path: '^src/' },
      to: { couldNotResolve: true },
    },
    {
      name: 'core-imports-only-core-and-texts',
      comment: 'src/core is the ground floor: it imports nothing outside src/core except the text catalogue src/texts (no channel, no domain module, no SDK through src/).',
      severity: 'error',
      from: { path: '^src/core/' },
      to: { path: '^src/', pathNot: '^src/(core|texts)/' },
    },
    {
      name: 'texts-import-only-lang',
      comment: 'src/texts imports only src/core/lang.ts, so every layer may use it.',
      severity: 'error',
      from: { path: '^src/texts/' },
      to: { path: '^src/', pathNot: '^src/(texts/|core/lang\\.ts$)' },
    },
    {
      name: 'database-drivers-only-in-persistence',
      comment: 'Only src/persistence imports Prisma, better-sqlite3, pg or the generated clients.',
      severity: 'error',
      from: { pathNot: '^src/persistence/' },
      to: { path: [npm('@prisma/[^/]+'), npm('better-sqlite3'), npm('pg'), '^src/persistence/generated/'] },
    },
    {
      name: 'persistence-only-from-the-root-and-cli',
      comment: 'Outside src/persistence, only the composition root (src/app/, and src/main.ts that starts it) and src/cli import it; everything else goes through ports.',
      severity: 'error',
      from: { path: '^src/', pathNot: [ROOT, '^src/persistence/', '^src/cli/'] },
      to: { path: '^src/persistence/' },
    },
    {
      name: 'teams-sdk-only-in-teams-channel',
      comment: 'botbuilder* and @microsoft/* are imported only by src/channels/teams.',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/channels/teams/' },
      to: { path: [npm('botbuilder[^/]*'), npm('@microsoft/[^/]+')] },
    },
    {
      name: 'slack-sdk-only-in-slack-channel',
      comment: '@slack/* is imported only by src/channels/slack.',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/channels/slack/' },
      to: { path: npm('@slack/[^/]+') },
    },
    {
      name: 'express-only-at-the-http-edge',
      comment: 'express is imported only by src/channels, src/server, src/portal and the composition root.',
      severity: 'error',
      from: { path: '^src/', pathNot: [ROOT, '^src/(channels|server|portal)/'] },
      to: { path: npm('express') },
    },
    {
      name: 'channels-only-translate',
      comment: 'A channel translates between a platform and the core: it imports no ticketing, handoff, persistence, server or portal.',
      severity: 'error',
      from: { path: '^src/channels/' },
      to: { path: '^src/(ticketing|handoff|persistence|server|portal)/' },
    },
    {
      name: 'portal-is-no-channel',
      comment: 'The portal imports no channel (shared rendering lives in src/markup).',
      severity: 'error',
      from: { path: '^src/portal/' },
      to: { path: '^src/channels/' },
    },
    layer('catalog', ['core', 'texts'], 'The service catalogue rests on the core only.'),
    layer('nlu', ['core', 'texts', 'catalog'], 'Language understanding uses the core and the catalogue.'),
    layer('knowledge', ['core', 'texts', 'nlu', 'catalog', 'markup'], 'The knowledge base uses the core, nlu, the catalogue and markup.'),
    layer('flows', ['core', 'texts', 'nlu'], 'Guided flows use the core and nlu.'),
    layer('ticketing', ['core', 'texts', 'catalog'], 'Ticketing is pure rules over ports: core and the catalogue only (no knowledge, handoff, persistence, flows).'),
    layer('handoff', ['core', 'texts'], 'Human handoff uses core ports only (no ticketing, no persistence).'),
    layer('analytics', ['core', 'texts'], 'Analytics reads through core ports only.'),
    layer('markup', [], 'Markdown → HTML imports nothing of src/.'),
    layer('directory', ['core', 'texts'], 'Account directory adapters (LDAP, Graph) and their rules use core ports only.'),
    layer('jobs', ['core', 'texts'], 'The job queue runs handlers over the core job ports; the composition root gives it its store and handlers.'),
    layer('connectors', ['core', 'texts'], 'Connectors to other systems (GLPI) use core ports only; the composition root wires them.'),
    layer('privacy', ['core', 'texts'], 'Personal data (export, erasure, retention) are rules over core ports; the store lives in persistence.'),
    {
      name: 'desks-imports-only-core-and-the-business-calendar',
      comment: 'Desks (hours, routing, queue, on-call) are pure rules over core ports; of ticketing they use only the business calendar, so opening hours and SLA hours are computed alike.',
      severity: 'error',
      from: { path: '^src/desks/' },
      to: { path: '^src/', pathNot: ['^src/(desks|core|texts)/', '^src/ticketing/calendar\\.ts$'] },
    },
  ],
  options: {
    tsPreCompilationDeps: true,
    // The generated Prisma clients are reached, not read: their imports are Prisma's business.
    doNotFollow: { path: ['node_modules', '^src/persistence/generated/'] },
    enhancedResolveOptions: { extensions: ['.ts', '.js', '.mjs', '.cjs', '.json'], exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'types', 'default'] },
  },
};
