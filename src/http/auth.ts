import type { MiddlewareHandler } from 'hono'
import { matchesHash } from '../crypto.js'
import type { AppDeps } from '../deps.js'
import { errorBody } from '../errors.js'
import { localeOf } from './locale.js'

/** Every /api route: `Authorization: Bearer <ADMIN_TOKEN>`, compared in constant time with its stored hash. */
export function adminAuth(deps: AppDeps): MiddlewareHandler {
  return async (c, next) => {
    const header = c.req.header('authorization') ?? ''
    const match = /^Bearer\s+(.+)$/i.exec(header)
    if (!match || !(await matchesHash(match[1]!.trim(), deps.adminTokenHash))) {
      c.header('WWW-Authenticate', 'Bearer realm="loa-admin"')
      return c.json(errorBody(localeOf(c), 'unauthorized', 'api.errors.unauthorized'), 401)
    }
    await next()
  }
}
