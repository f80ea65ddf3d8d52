import js from '@eslint/js'
import tseslint from 'typescript-eslint'

/**
 * Which layer may import what is not ESLint's job here: it is an allow-list in
 * .dependency-cruiser.cjs, run by `npm run lint` after ESLint and knip, with a probe per
 * forbidden arrow in test/unit/rings.test.ts.
 */
export default tseslint.config(
  { ignores: ['node_modules/**', 'db/migrations/**', '.wrangler/**', 'data/**', 'coverage/**', 'src/web/assets/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  { files: ['scripts/**/*.mjs', 'bench/**/*.ts'], languageOptions: { globals: { console: 'readonly', process: 'readonly' } } },
  { files: ['*.cjs'], languageOptions: { sourceType: 'commonjs', globals: { module: 'writable', require: 'readonly' } } },
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
)
