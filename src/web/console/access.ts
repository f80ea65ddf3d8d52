import type { MiddlewareHandler } from 'hono'
import type { ConsoleRole } from '#db/schema/index.js'
import { requiredRole } from '../../http/access.js'
import { roleAllows } from '../../domain/console/signin-sessions.js'
import { errorPage } from '../errors.js'
import { pageText } from '../locale.js'
import { accountOf } from './auth.js'

/**
 * Which console role each page and form under /admin needs: the one table, like the API's
 * (src/http/access.ts). The first rule whose method and path match wins; paths are relative to
 * /admin, `*` is one segment and a final `**` any rest (or none). Anything not listed: GET needs `viewer`,
 * any other method `admin`, so a form added without a rule is closed rather than open. The sign-in
 * pages come before this (they are open); test/integration/console-access.test.ts walks every route.
 *
 * Where the API has the same action, the row reads the API's rule, so the two ask the same role.
 */
export const consoleAccess: readonly (readonly [method: string, path: string, role: ConsoleRole])[] = [
  // The directory's people, units, import and invites: admins (Decree 13: personal data).
  ['GET', '/directory/people/*', 'admin'],
  ['POST', '/directory/people/*', 'admin'],
  ['POST', '/directory/people/*/remove', 'admin'],
  ['POST', '/directory/people/*/invite', requiredRole('POST', '/people/*/invites')],
  ['POST', '/directory/people/*/links/*/unlink', requiredRole('DELETE', '/people/*/links/*')],
  ['GET', '/directory/units/*', 'admin'],
  ['POST', '/directory/units/*', 'admin'],
  ['POST', '/directory/units/*/remove', 'admin'],
  ['GET', '/directory/import', 'admin'],
  ['GET', '/directory/import/template', 'admin'],
  ['POST', '/directory/import', 'admin'],
  ['POST', '/directory/import/confirm', 'admin'],
  ['GET', '/directory/invites', 'admin'],
  ['POST', '/directory/invites', 'admin'],
  // Sending: editors; reminders as the API's.
  ['GET', '/broadcasts/new', 'editor'],
  ['POST', '/broadcasts/new', 'editor'],
  ['POST', '/broadcasts/*/duplicate', 'editor'],
  ['GET', '/broadcasts/*/cancel', 'editor'],
  ['POST', '/broadcasts/*/cancel', 'editor'],
  ['POST', '/broadcasts/*/remind', requiredRole('POST', '/broadcasts/*/remind')],
  ['GET', '/quizzes/new', 'editor'],
  ['POST', '/quizzes/new', 'editor'],
  ['GET', '/polls/new', 'editor'],
  ['POST', '/polls/new', requiredRole('POST', '/polls')],
  ['POST', '/polls/*/close', requiredRole('POST', '/polls/*/close')],
  ['GET', '/sessions/new', 'editor'],
  ['POST', '/sessions/new', 'editor'],
  ['POST', '/questions/*/answer', 'editor'],
  ['POST', '/questions/*/faq', 'editor'],
  ['GET', '/questions/*/suggest', requiredRole('GET', '/questions/*/suggestions')],
  ['POST', '/inbox/*/answer', 'editor'],
  // The misinformation desk: editors file and move claims (a correction also needs the spokesperson
  // permission, checked by the page); agencies as the API's (admins).
  ['POST', '/misinformation', requiredRole('POST', '/misinformation')],
  ['POST', '/misinformation/*/transition', requiredRole('POST', '/misinformation/*/transition')],
  ['POST', '/misinformation/*/correction', requiredRole('POST', '/misinformation/*/correction')],
  ['POST', '/agencies', requiredRole('POST', '/agencies')],
  ['POST', '/agencies/*', requiredRole('PATCH', '/agencies/*')],
  ['POST', '/agencies/*/activate', requiredRole('PATCH', '/agencies/*')],
  ['POST', '/agencies/*/deactivate', requiredRole('DELETE', '/agencies/*')],
  ['POST', '/agencies/*/liaisons', requiredRole('POST', '/agencies/*/liaisons')],
  ['POST', '/agencies/*/liaisons/*/remove', requiredRole('DELETE', '/agencies/*/liaisons/*')],
  ['POST', '/inbox/*/question', 'editor'],
  // Managing: admins.
  ['POST', '/periods', 'admin'],
  // A unit's self-assessment, as the API's (the page checks the unit is the account's own).
  ['POST', '/criteria/*/self', requiredRole('PUT', '/criteria/*/units/*/self/*')],
  ['POST', '/calendar', requiredRole('PUT', '/calendar/days/*')],
  ['POST', '/calendar/*/confirm', requiredRole('PUT', '/calendar/days/*')],
  ['POST', '/calendar/*/remove', requiredRole('DELETE', '/calendar/days/*')],
  // The library: editors list, add and edit entries (as the API's); only admins delete.
  ['GET', '/library/*/delete', requiredRole('DELETE', '/library/*')],
  ['POST', '/library/*/delete', requiredRole('DELETE', '/library/*')],
  ['GET', '/library', 'editor'],
  ['GET', '/library/**', 'editor'],
  ['POST', '/library/new', requiredRole('POST', '/library')],
  ['POST', '/library/*', requiredRole('PATCH', '/library/*')],
  ['POST', '/accounts/*/role', 'admin'],
  ['POST', '/accounts/*/revoke', 'admin'],
  ['GET', '/audit', 'admin'],
  // Images people sent: as the API's /media/*.
  ['GET', '/media/*', requiredRole('GET', '/media/*')],
  ['*', '/channels/**', 'admin'],
  // Any account mints and revokes its own API tokens (the page checks whose).
  ['POST', '/tokens', 'viewer'],
  ['POST', '/tokens/*/revoke', 'viewer'],
  ['GET', '**', 'viewer'],
  ['*', '**', 'admin'],
]

function matches(pattern: string, path: string): boolean {
  const want = pattern.split('/')
  const got = (path.replace(/\/+$/, '') || '/').split('/')
  if (want.at(-1) === '**') return got.length >= want.length - 1 && want.slice(0, -1).every((part, i) => part === '*' || part === got[i])
  return want.length === got.length && want.every((part, i) => part === '*' || part === got[i])
}

/** The rule (its index in consoleAccess) a console request matches (`path` without /admin). */
export function consoleRule(method: string, path: string): number {
  const m = method === 'HEAD' ? 'GET' : method
  return consoleAccess.findIndex(([method, pattern]) => (method === '*' || method === m) && matches(pattern, path))
}

/** The role a console request needs (`path` without the /admin prefix). */
export function consoleRole(method: string, path: string): ConsoleRole {
  return consoleAccess[consoleRule(method, path)]?.[2] ?? 'admin'
}

/**
 * After consoleAuth: refuses (403, with a page saying why) an account whose role is below the
 * table's rule for this request.
 */
export const consoleAccessCheck: MiddlewareHandler = async (c, next) => {
  const account = accountOf(c)
  if (!roleAllows(account.role, consoleRole(c.req.method, c.req.path.slice('/admin'.length)))) {
    const { t } = pageText(c)
    return errorPage(c, 403, 'web.errors.forbidden', { role: t(`web.roles.${account.role}`) })
  }
  await next()
}
