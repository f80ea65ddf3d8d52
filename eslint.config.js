import js from '@eslint/js'
import tseslint from 'typescript-eslint'

/**
 * Which folder may import what. ESLint applies one `no-restricted-imports` per file (a later block
 * replaces an earlier one), so each folder gets exactly one block below, with its complete list.
 *
 *   handlers/, jobs/       the neutral core, the delivery layer, domain code; no platform, no runtime
 *   src/domain/            the same, and no HTTP
 *   src/core/              neutral chat language and router: no domain code, no HTTP
 *   src/delivery/          the one send path: no domain code, no HTTP, no channel code
 *   src/http/, src/web/    routes and pages: domain code and the core, never the database directly
 *   src/channels/          platform adapters: no runtime, no domain, no HTTP
 *   the rest of src/       the app factory, config, i18n: must run on Workers too
 *   entry.node, entry.cli, src/node/   Node-only, anything goes
 */
const pattern = (group, message) => ({ group, message })
const platform = [
  pattern(['grammy', 'grammy/*'], 'Telegram stays in src/channels/telegram; use the neutral core types.'),
  pattern(['**/channels/**'], 'Channel adapters are reached through ChannelAdapter, not imported.'),
]
const nodeOnly = [
  pattern(['better-sqlite3', 'node-cron', 'node:*', 'pino', '**/db/sqlite.js', '**/db/group-commit.js', '**/db/backup.js'], 'Node-only: keep it in src/entry.node.ts, src/entry.cli.ts or src/node/.'),
]
const noDomain = [pattern(['**/domain/**', '**/handlers/**', '**/jobs/**'], 'The core and the delivery layer know no feature: pass what they need through AppDeps.')]
const noHttp = [pattern(['**/http/**', 'hono', 'hono/*'], 'HTTP stays in src/http and src/app.ts.')]
const restrict = (...groups) => ({ 'no-restricted-imports': ['error', { patterns: groups.flat() }] })

export default tseslint.config(
  { ignores: ['node_modules/**', 'db/migrations/**', '.wrangler/**', 'data/**', 'coverage/**', 'src/web/assets/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  { files: ['scripts/**/*.mjs', 'bench/**/*.ts'], languageOptions: { globals: { console: 'readonly', process: 'readonly' } } },
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  { files: ['handlers/**/*.ts', 'jobs/**/*.ts'], rules: restrict(platform, nodeOnly) },
  { files: ['src/domain/**/*.{ts,tsx}'], rules: restrict(platform, nodeOnly, noHttp) },
  { files: ['src/core/**/*.ts'], rules: restrict(platform, nodeOnly, noDomain, noHttp) },
  { files: ['src/delivery/**/*.ts'], rules: restrict(platform, nodeOnly, noDomain, noHttp) },
  { files: ['src/channels/**/*.ts'], rules: restrict(nodeOnly, pattern(['**/domain/**', '**/http/**', '**/delivery/**'], 'Adapters translate; they hold no domain rules.')) },
  {
    // Routes read and write through domain functions; only types come from the schema.
    files: ['src/http/**/*.ts', 'src/web/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': 'off',
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            ...platform,
            ...nodeOnly,
            { group: ['**/db/**', 'drizzle-orm', 'drizzle-orm/*'], message: 'Routes go through src/domain, not the database.', allowTypeImports: true },
          ],
        },
      ],
    },
  },
  {
    files: ['src/**/*.{ts,tsx}'],
    ignores: ['src/domain/**', 'src/core/**', 'src/delivery/**', 'src/channels/**', 'src/http/**', 'src/web/**', 'src/entry.node.ts', 'src/entry.cli.ts', 'src/node/**'],
    rules: restrict(nodeOnly),
  },
)
