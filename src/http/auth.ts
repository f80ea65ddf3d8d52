import type { Context } from 'hono'
import type { MiddlewareHandler } from 'hono'
import type { ConsoleRole } from '#db/schema/index.js'
import { matchesHash } from '../crypto.js'
import type { AppDeps } from '../deps.js'
import { roleAllows } from '../domain/console/signin-sessions.js'
import { authenticateToken } from '../domain/console/tokens.js'
import { errorBody } from '../errors.js'
import { requiredRole } from './access.js'
import { appContext, type AppEnv } from './env.js'
import { localeOf } from './locale.js'

/** Whether an Authorization header carries the admin token, compared in constant time with its stored hash. */
export async function isAdmin(header: string | undefined, deps: Pick<AppDeps, 'adminTokenHash'>): Promise<boolean> {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '')
  return match ? matchesHash(match[1]!, deps.adminTokenHash) : false
}

/** Who is calling the API: the bootstrap ADMIN_TOKEN, or a person's API token with their console role. */
export interface ApiCaller {
  kind: 'admin_token' | 'account'
  role: ConsoleRole
  personId: number | null
  tokenId: number | null
}

export function callerOf(c: Context): ApiCaller | undefined {
  return appContext(c).get('apiCaller')
}

/**
 * Every /api route: `Authorization: Bearer <ADMIN_TOKEN>` (acts as admin) or `Bearer loa_…` (a
 * person's API token, with their console role), and the role the route needs (src/http/access.ts):
 * 401 without a valid token, 403 with a role below the route's.
 */
export function adminAuth(deps: AppDeps): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const header = c.req.header('authorization')
    const bearer = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '')?.[1]
    let caller: ApiCaller | null = null
    if (bearer && (await matchesHash(bearer, deps.adminTokenHash))) caller = { kind: 'admin_token', role: 'admin', personId: null, tokenId: null }
    else if (bearer) {
      const found = await authenticateToken(deps.db, bearer, deps.clock())
      if (found) caller = { kind: 'account', role: found.role, personId: found.personId, tokenId: found.tokenId }
    }
    if (!caller) {
      c.header('WWW-Authenticate', 'Bearer realm="loa-admin"')
      return c.json(errorBody(localeOf(c), 'unauthorized', 'api.errors.unauthorized'), 401)
    }
    c.set('apiCaller', caller)
    const needed = requiredRole(c.req.method, c.req.path.replace(/^\/api/, '') || '/')
    if (!roleAllows(caller.role, needed)) {
      return c.json(errorBody(localeOf(c), 'forbidden', 'api.errors.forbiddenRole', { role: `api.roles.${caller.role}`, needed: `api.roles.${needed}` }), 403)
    }
    await next()
  }
}
