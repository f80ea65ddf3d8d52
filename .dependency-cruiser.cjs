/**
 * Loa's rings, as an allow-list: an import is an error unless a row below allows it.
 * Layers (outermost first) and what each may import — the table in docs/architecture.md, "The layers":
 *
 *   entry     src/entry.*.ts, src/node/, src/worker/   anything: the two runtimes and the CLI compose everything
 *   app       src/app.ts, src/deps.ts           the app factory and the deps contract: every layer below
 *   http      src/http/                         the JSON API: domain, core, kernel; jobs (the run-a-job route)
 *   web       src/web/                          console and phone pages: http's helpers, domain, core, kernel
 *   features  handlers/                         chat features: domain, core, delivery, kernel
 *   jobs      jobs/                             scheduled work: domain, core, delivery, kernel
 *   domain    src/domain/                       the rules: delivery, core, kernel, db
 *   delivery  src/delivery/                     the one send path: core, kernel, db
 *   channels  src/channels/                     platform adapters: core, kernel (their own storage: db)
 *   core      src/core/                         the neutral chat language and router: kernel, db
 *   kernel    src/config, i18n, log, time, …    what every layer uses: locales
 *   db        db/                               schema and drivers: nothing above
 *   locales   locales/                          the catalogs: nothing
 *
 * Everyone may import the deps contract (src/deps.ts) and db/ as types only. Node built-ins and Node-only
 * packages stay in entry (and db's SQLite drivers); grammy stays in channels; hono in app, http,
 * web and entry.
 */
const L = {
  entry: '^src/(entry\\.[^/]+|node/|worker/)',
  app: '^src/(app|deps)\\.ts$',
  http: '^src/http/',
  web: '^src/web/',
  features: '^handlers/',
  jobs: '^jobs/',
  domain: '^src/domain/',
  delivery: '^src/delivery/',
  channels: '^src/channels/',
  core: '^src/core/',
  kernel: '^src/(config|i18n|log|time|util|crypto|csv|errors|trust-proxy)\\.ts$',
  db: '^db/',
  locales: '^locales/',
}
const layers = (...names) => names.map((n) => L[n])
const allow = (from, to, extra = {}) => ({ from: { path: L[from] }, to: { path: layers(...to), ...extra } })
const typeOnly = { dependencyTypes: ['type-only'] }
const npm = (from, pkgs) => ({ from: { path: layers(...from) }, to: { path: `(^|/)node_modules/(${pkgs.join('|')})/` } })

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'A file circle makes load order matter; break it by moving the shared piece down a layer.',
      from: { path: '^(src|handlers|jobs|db|locales)/' },
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
  ],
  allowedSeverity: 'error',
  allowed: [
    { from: { path: L.entry }, to: { path: '^(src|handlers|jobs|db|locales)/' } },
    { from: { path: L.entry }, to: { dependencyTypes: ['npm', 'npm-dev', 'core', 'type-only', 'npm-no-pkg', 'npm-unknown'] } },
    allow('app', ['app', 'http', 'web', 'features', 'jobs', 'domain', 'delivery', 'channels', 'core', 'kernel', 'db', 'locales']),
    allow('http', ['http', 'domain', 'core', 'kernel', 'jobs']),
    allow('web', ['web', 'http', 'domain', 'core', 'kernel']),
    allow('features', ['features', 'domain', 'core', 'delivery', 'kernel']),
    allow('jobs', ['jobs', 'domain', 'core', 'delivery', 'kernel']),
    allow('domain', ['domain', 'delivery', 'core', 'kernel', 'db']),
    allow('delivery', ['delivery', 'core', 'kernel', 'db']),
    allow('channels', ['channels', 'core', 'kernel']),
    // The two stores the adapters own: channel settings (encrypted) and the OA's refreshed tokens.
    { from: { path: '^src/channels/(settings|zalo-oa/tokens)\\.ts$' }, to: { path: L.db } },
    allow('core', ['core', 'kernel', 'db']),
    allow('kernel', ['kernel', 'locales']),
    allow('db', ['db']),
    allow('locales', ['locales']),
    // The deps contract and the schema's types, for everyone.
    { from: { path: '^(src|handlers|jobs|db|locales)/' }, to: { path: [L.app, L.db, L.core, L.channels, L.domain, L.web], ...typeOnly } },
    // Packages, by layer.
    npm(['app', 'http', 'web'], ['hono']),
    npm(['app', 'http', 'web', 'features', 'domain', 'channels', 'kernel'], ['zod']),
    npm(['domain', 'delivery', 'core', 'db', 'channels'], ['drizzle-orm']),
    npm(['db'], ['better-sqlite3']),
    npm(['channels'], ['grammy']),
    npm(['domain', 'kernel'], ['exceljs', 'csv-parse', 'csv-stringify']),
    // Links found in misinformation reports (src/domain/misinformation/links.ts).
    npm(['domain'], ['linkify-it']),
    npm(['web'], ['chart\\.js', 'qrcode']),
    // hono's address parsing (no framework) for TRUST_PROXY.
    { from: { path: L.kernel }, to: { path: '(^|/)node_modules/hono/dist/(types/)?utils/ipaddr' } },
    { from: { path: '^db/(sqlite|backup|group-commit|migrate)' }, to: { dependencyTypes: ['core'] } },
    { from: { path: '^src/web/' }, to: { path: '^docs/' } },
  ],
  options: {
    doNotFollow: { path: '(^|/)node_modules/' },
    exclude: { path: '(^db/migrations/|\\.test\\.ts$)' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default', 'types'], mainFields: ['module', 'main', 'types'] },
    skipAnalysisNotInRules: true,
  },
}
