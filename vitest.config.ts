import { defineConfig } from 'vitest/config'

/**
 * Four projects, so a newcomer's loop is `npm run test:fast` (about a minute) and `npm test` still runs all:
 *   fast     unit, contract and the integration tests that each take a few seconds
 *   slow     the fuzzers (10,000 bodies a route), and the tests that spawn servers or the CLI: cli, crash,
 *            backup, stop, stop-under-load, polling-console, linking-cli
 *   workers  the Worker and D1 journey under `wrangler dev`
 *   browser  the console and phone pages in headless Chromium
 */
const slow = ['fuzz', 'fuzz-admin', 'fuzz-pages', 'cli', 'crash', 'backup', 'stop', 'stop-under-load', 'polling-console', 'linking-cli'].map((name) => `test/integration/${name}.test.ts`)
const workers = ['test/integration/worker.test.ts']
const browser = ['test/browser/**/*.test.ts']

const timeouts = { testTimeout: 20_000, hookTimeout: 20_000 }

export default defineConfig({
  test: {
    // The JSON report (all projects together) feeds the "N passed, N failed" line that .ci/run prints.
    reporters: ['default', 'json'],
    outputFile: { json: 'test-results.json' },
    projects: [
      { test: { name: 'fast', include: ['test/**/*.test.ts'], exclude: [...slow, ...workers, ...browser], ...timeouts } },
      { test: { name: 'slow', include: slow, ...timeouts } },
      { test: { name: 'workers', include: workers, ...timeouts } },
      { test: { name: 'browser', include: browser, ...timeouts } },
    ],
  },
})
