// Runs before `npm start` and `npm test`: installs the locked dependencies on a fresh clone (or when
// package-lock.json changed), so the README's two commands are all a new machine needs.
import { execSync } from 'node:child_process'
import { existsSync, statSync } from 'node:fs'

const marker = 'node_modules/.package-lock.json'
const stale = !existsSync(marker) || statSync(marker).mtimeMs < statSync('package-lock.json').mtimeMs
if (stale) {
  console.log('Installing dependencies (npm ci)… better-sqlite3 compiles from source, about a minute.')
  execSync('npm ci --no-audit --no-fund', { stdio: 'inherit' })
}
