import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ConsoleRole } from '#db/schema/index.js'
import { roleAllows } from '#src/domain/console/signin-sessions.js'
import { consoleAccess, consoleRole, consoleRule } from '#src/web/console/access.js'
import { signedInAs } from '../helpers/console.js'
import { seedDirectory, startHarness, type Harness } from '../helpers/harness.js'

/**
 * Issue 20, change 3: the console is default-closed like the API. Every page and form registered
 * under /admin has a rule in one table (src/web/console/access.ts), and a viewer or an editor who
 * posts a form above their role (with a valid CSRF token, so it is the role that refuses) gets the
 * 403 page saying their role, while one whose role is enough is not refused.
 */
let h: Harness
let clients: Record<'viewer' | 'editor', Awaited<ReturnType<typeof signedInAs>>>

beforeAll(async () => {
  h = await startHarness()
  const ids = await seedDirectory(h)
  clients = { viewer: await signedInAs(h, ids.lan, 'viewer'), editor: await signedInAs(h, ids.minh, 'editor') }
})
afterAll(() => h?.close())

/** A registered path with each parameter filled in with a value its pattern accepts. */
const SAMPLE: Record<string, string> = { year: '2026', half: '1', format: 'csv', channel: 'telegram', code: 'THCS-ANHOA' }
const concrete = (path: string) => path.replace(/:(\w+)(\{[^}]*\})?/g, (_, name: string) => SAMPLE[name] ?? '1')

/** The sign-in pages answer before the session check: they are open to anyone. */
const isSignIn = (path: string) => /^\/admin\/(login|logout)(\/|$)/.test(path)

function consoleRoutes(): { method: string; path: string }[] {
  const seen = new Map<string, { method: string; path: string }>()
  for (const r of h.app.routes) {
    if (r.method === 'ALL' || !r.path.startsWith('/admin') || isSignIn(r.path)) continue
    const path = concrete(r.path)
    seen.set(`${r.method} ${path}`, { method: r.method, path })
  }
  return [...seen.values()]
}

const forbidden = (role: ConsoleRole) => ({ viewer: 'chỉ xem', editor: 'biên tập', admin: 'quản trị' })[role]

describe('the console access table', () => {
  it('has a rule of its own for every form (non-GET) registered under /admin, and every rule is used', () => {
    const routes = consoleRoutes()
    expect(routes.length).toBeGreaterThan(50)
    const fallback = consoleAccess.length - 1
    const unruled = routes.filter((r) => r.method !== 'GET' && consoleRule(r.method, r.path.slice('/admin'.length)) >= fallback - 1)
    expect(unruled).toEqual([])
    const used = new Set(routes.map((r) => consoleRule(r.method, r.path.slice('/admin'.length))))
    const unused = consoleAccess.filter((_, i) => i < fallback - 1 && !used.has(i))
    expect(unused).toEqual([])
  })

  it('closes what it does not list: a form no one registered needs an admin, a page a viewer', () => {
    expect(consoleRole('POST', '/something-new')).toBe('admin')
    expect(consoleRole('POST', '/broadcasts/1/something-new')).toBe('admin')
    expect(consoleRole('GET', '/something-new')).toBe('viewer')
  })

  for (const role of ['viewer', 'editor'] as const) {
    it(`refuses a signed-in ${role} every page and form above their role, with the 403 page naming it, and lets the rest through`, async () => {
      const wrong: string[] = []
      for (const { method, path } of consoleRoutes()) {
        const needs = consoleRole(method, path.slice('/admin'.length))
        const res = method === 'GET' ? await clients[role].get(path) : await clients[role].post(path)
        const text = await clients[role].text(res)
        const refused = res.status === 403 && text.includes(`Tài khoản của bạn (${forbidden(role)}) không được làm việc này.`)
        if (refused === roleAllows(role, needs)) wrong.push(`${method} ${path} (needs ${needs}): ${res.status}`)
      }
      expect(wrong).toEqual([])
    })
  }
})
