import type { MiddlewareHandler } from 'hono'
import { matchesHash } from '../crypto.js'
import type { AppDeps } from '../deps.js'
import { errorBody } from '../errors.js'
import { localeOf } from './locale.js'

/** Whether an Authorization header carries the admin token, compared in constant time with its stored hash. */
export async function isAdmin(header: string | undefined, deps: Pick<AppDeps, 'adminTokenHash'>): Promise<boolean> {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '')
  return match ? matchesHash(match[1]!, deps.adminTokenHash) : false
}

/** Every /api route: `Authorization: Bearer <ADMIN_TOKEN>`. */
export function adminAuth(deps: AppDeps): MiddlewareHandler {
  return async (c, next) => {
    if (!(await isAdmin(c.req.header('authorization'), deps))) {
      c.header('WWW-Authenticate', 'Bearer realm="loa-admin"')
      return c.json(errorBody(localeOf(c), 'unauthorized', 'api.errors.unauthorized'), 401)
    }
    await next()
  }
}
