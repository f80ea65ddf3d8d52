import { describe, expect, it } from 'vitest'
import { apiAccess, requiredRole } from '#src/http/access.js'
import { roleAllows } from '#src/domain/console/signin-sessions.js'

describe('the API role table (src/http/access.ts)', () => {
  it('lets a viewer read, an editor send, and keeps everything else for admins', () => {
    const cases: [string, string, string][] = [
      ['GET', '/units', 'viewer'],
      ['GET', '/people', 'viewer'],
      ['GET', '/broadcasts/12', 'viewer'],
      ['GET', '/targets', 'viewer'],
      ['HEAD', '/reach', 'viewer'],
      ['GET', '/people/12/export', 'admin'],
      ['GET', '/accounts', 'admin'],
      ['GET', '/tokens', 'admin'],
      ['GET', '/audit', 'admin'],
      ['GET', '/backup', 'admin'],
      ['POST', '/backup/restore', 'admin'],
      ['POST', '/broadcasts', 'editor'],
      ['POST', '/broadcasts/3/retry', 'editor'],
      ['POST', '/broadcasts/3/cancel', 'editor'],
      ['POST', '/quizzes', 'editor'],
      ['POST', '/polls', 'editor'],
      ['POST', '/polls/3/close', 'editor'],
      ['GET', '/polls/3/results', 'viewer'],
      ['GET', '/polls/3/results.xlsx', 'viewer'],
      ['POST', '/sessions', 'editor'],
      ['POST', '/questions/4/answer', 'editor'],
      ['GET', '/library', 'viewer'],
      ['GET', '/misinformation', 'viewer'],
      ['POST', '/misinformation', 'editor'],
      ['POST', '/misinformation/4/transition', 'editor'],
      ['POST', '/misinformation/4/correction', 'editor'],
      ['POST', '/agencies', 'admin'],
      ['PUT', '/people/4/spokesperson', 'admin'],
      ['POST', '/library', 'editor'],
      ['PATCH', '/library/5', 'editor'],
      ['PUT', '/library/tag-aliases', 'editor'],
      ['DELETE', '/library/5', 'admin'],
      ['DELETE', '/library/tag-aliases/nq71', 'admin'],
      ['POST', '/library/5/broadcast', 'editor'],
      ['POST', '/broadcasts/3/product', 'editor'],
      ['GET', '/targets/digitalProducts/products', 'viewer'],
      ['POST', '/units', 'admin'],
      ['POST', '/people', 'admin'],
      ['PATCH', '/people/1', 'admin'],
      ['DELETE', '/people/1', 'admin'],
      ['POST', '/people/1/invites', 'admin'],
      ['DELETE', '/people/1/links/2', 'admin'],
      ['POST', '/report-periods', 'admin'],
      ['POST', '/jobs/retention/run', 'admin'],
      ['PUT', '/people/1/console-role', 'admin'],
      ['DELETE', '/people/1/console-role', 'admin'],
      // Any account, for its own tokens only (the handler refuses anyone else's).
      ['POST', '/tokens', 'viewer'],
      ['DELETE', '/tokens/9', 'viewer'],
      // A route nobody listed: closed, not open.
      ['POST', '/something-new', 'admin'],
      ['PUT', '/broadcasts/3', 'admin'],
      // Near misses do not match a rule meant for another path.
      ['POST', '/broadcasts/3/retry/now', 'admin'],
    ]
    for (const [method, path, role] of cases) expect([method, path, requiredRole(method, path)]).toEqual([method, path, role])
  })

  it('ends with a catch-all for admins, and the roles nest', () => {
    expect(apiAccess.at(-1)).toEqual(['*', '*', 'admin'])
    expect(roleAllows('admin', 'editor')).toBe(true)
    expect(roleAllows('editor', 'viewer')).toBe(true)
    expect(roleAllows('viewer', 'editor')).toBe(false)
    expect(roleAllows('editor', 'admin')).toBe(false)
  })
})
