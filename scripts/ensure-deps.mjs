// Runs before `npm start` and `npm test`: installs the locked dependencies on a fresh clone (or when
// package-lock.json changed), so the README's two commands are all a new machine needs.
import { execSync } from 'node:child_process'
import { existsSync, lstatSync, statSync } from 'node:fs'

const marker = 'node_modules/.package-lock.json'
// A node_modules that links to another checkout's (a git worktree) is that checkout's to install:
// `npm ci` here would empty the folder it points to, under every other worktree too.
const linked = existsSync('node_modules') && lstatSync('node_modules').isSymbolicLink()
const stale = !existsSync(marker) || statSync(marker).mtimeMs < statSync('package-lock.json').mtimeMs
if (stale && !linked) {
  console.log('Installing dependencies (npm ci)… better-sqlite3 compiles from source, about a minute.')
  execSync('npm ci --no-audit --no-fund', { stdio: 'inherit' })
}
