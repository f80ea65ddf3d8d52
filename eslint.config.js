import js from '@eslint/js'
import tseslint from 'typescript-eslint'

const platformImports = {
  patterns: [
    { group: ['grammy', 'grammy/*'], message: 'Telegram stays in src/channels/telegram; use the neutral core types.' },
    { group: ['**/channels/**'], message: 'Channel adapters are reached through ChannelAdapter, not imported.' },
    { group: ['better-sqlite3', 'node-cron', 'node:*'], message: 'Keep runtime-specific code in the entry points.' },
  ],
}

export default tseslint.config(
  { ignores: ['node_modules/**', 'db/migrations/**', '.wrangler/**', 'data/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  { files: ['scripts/**/*.mjs', 'bench/**/*.ts'], languageOptions: { globals: { console: 'readonly', process: 'readonly' } } },
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // Handlers, domain code and jobs speak only the neutral language: no grammY, no Zalo client.
    files: ['handlers/**/*.ts', 'src/domain/**/*.ts', 'jobs/**/*.ts', 'src/core/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', platformImports] },
  },
  {
    // The app factory must run on Workers too.
    files: ['src/**/*.ts'],
    ignores: ['src/entry.node.ts', 'src/entry.cli.ts', 'src/node/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['better-sqlite3', 'node-cron', 'node:*', 'pino', '**/db/sqlite.js'], message: 'Node-only: keep it in src/entry.node.ts.' }] },
      ],
    },
  },
  {
    files: ['src/domain/**/*.ts', 'src/core/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', platformImports] },
  },
)
