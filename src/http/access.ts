import type { ConsoleRole } from '#db/schema/index.js'

/**
 * Which console role each API route needs: the one table (README, "Console accounts"). The first
 * rule whose method and path match wins; paths are relative to /api and `*` is one segment.
 * Anything not listed: GET needs `viewer`, any other method `admin`, so a route added without a
 * rule is closed rather than open.
 *
 *   viewer  looks: every list, figure and result
 *   editor  also sends: broadcasts (and their retry and cancel), quizzes, polls (and closes them), check-in sessions, answers to questions and to inbox messages;
 *           and adds and edits library entries
 *   admin   also manages: people, units, links, invites, erasure, periods, jobs, accounts, tokens, the audit log;
 *           and sends reminders of a broadcast (a further message to people who have not acknowledged)
 *
 * The console's forms that do the same ask the same role, some by reading this table (`requiredRole`).
 */
export const apiAccess: readonly (readonly [method: string, path: string, role: ConsoleRole])[] = [
  // Personal data out of the directory (Decree 13 export) and who holds which account: admins only.
  ['GET', '/people/*/export', 'admin'],
  // Subscribers (parents, citizens) are personal data too: their list and export, admins only.
  ['GET', '/subscribers', 'admin'],
  ['GET', '/subscribers/*/export', 'admin'],
  ['GET', '/accounts', 'admin'],
  ['GET', '/tokens', 'admin'],
  ['GET', '/audit', 'admin'],
  // The whole database in one file (src/http/admin/backup.ts): admins only, as is its restore (the default for POST).
  ['GET', '/backup', 'admin'],
  ['POST', '/backup/restore', 'admin'],
  // Suggested answers are for answering (their first showing is counted): editors, as the answer form.
  ['GET', '/questions/*/suggestions', 'editor'],
  ['GET', '*', 'viewer'],
  ['POST', '/broadcasts', 'editor'],
  ['POST', '/broadcasts/*/retry', 'editor'],
  ['POST', '/broadcasts/*/cancel', 'editor'],
  // Explicit although the default says the same: the console's reminder button reads this rule.
  ['POST', '/broadcasts/*/remind', 'admin'],
  ['POST', '/quizzes', 'editor'],
  // Polls: editors create and close them, as they send quizzes; viewers read them and their results (the GET rule above).
  ['POST', '/polls', 'editor'],
  ['POST', '/polls/*/close', 'editor'],
  ['POST', '/sessions', 'editor'],
  // Any account mints and revokes its own API tokens (an admin: anyone's), as on the console's Tài khoản page.
  ['POST', '/tokens', 'viewer'],
  ['DELETE', '/tokens/*', 'viewer'],
  ['POST', '/questions/*/answer', 'editor'],
  ['PUT', '/questions/*/answer', 'editor'],
  ['POST', '/questions/*/faq', 'editor'],
  // A unit's self-assessment: an editor of that unit (the route checks the unit); appraisal and freezing stay admin.
  ['PUT', '/criteria/*/units/*/self/*', 'editor'],
  // The misinformation desk: editors file reports, move claims and (holding `spokesperson`, checked in the route) publish corrections; agencies stay admin.
  ['POST', '/misinformation', 'editor'],
  ['POST', '/misinformation/*/transition', 'editor'],
  ['POST', '/misinformation/*/correction', 'editor'],
  ['POST', '/inbox/*/answer', 'editor'],
  ['POST', '/inbox/*/question', 'editor'],
  // The library: editors add and edit entries and tag aliases (only admins set automatic answers, in the route); admins delete.
  ['POST', '/library', 'editor'],
  ['PATCH', '/library/*', 'editor'],
  ['PUT', '/library/tag-aliases', 'editor'],
  // A brief made from an entry, and an entry made from a broadcast: sending and cataloguing, as editors do.
  ['POST', '/library/*/broadcast', 'editor'],
  ['POST', '/broadcasts/*/product', 'editor'],
  ['*', '*', 'admin'],
]

function matches(pattern: string, path: string): boolean {
  if (pattern === '*') return true
  const want = pattern.split('/')
  const got = path.replace(/\/+$/, '').split('/')
  return want.length === got.length && want.every((part, i) => part === '*' || part === got[i])
}

/** The role a request to the API needs (`path` without the /api prefix). */
export function requiredRole(method: string, path: string): ConsoleRole {
  const m = method === 'HEAD' ? 'GET' : method
  for (const [method, pattern, role] of apiAccess) {
    if ((method === '*' || method === m) && matches(pattern, path)) return role
  }
  return 'admin'
}
