import type { Context, MiddlewareHandler } from 'hono'
import type { AppDeps } from '../deps.js'
import { recordAudit } from '../domain/console/audit.js'
import { errorDetails } from '../log.js'
import { callerOf } from './auth.js'
import { clientIp } from './client-ip.js'
import { appContext, type AppEnv } from './env.js'

/** Marks who just signed in, for the audit row of the sign-in request (no session existed before it). */
export function auditSignIn(c: Context, who: { personId: number | null }) {
  appContext(c).set('auditSignIn', who)
}

const reads = new Set(['GET', 'HEAD', 'OPTIONS'])

/**
 * Records every request that may change something (any method but GET, HEAD, OPTIONS) to /api
 * and /admin, after it is answered: who (the API caller, the console account, or nobody), what
 * (method, path, the target id), the status, the address and the time. Never a body or a query
 * string: they can hold personal data or secrets. A failure to record is logged, not turned into
 * an error of the request (the change itself is already committed).
 */
export function auditTrail(deps: AppDeps): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    await next()
    const path = c.req.path
    if (reads.has(c.req.method) || !(path.startsWith('/api/') || path === '/admin' || path.startsWith('/admin/'))) return
    // A part of a backup sent in several (202): its audit row would take an id the next part's rows
    // bring; the restore is recorded once, with its last part (or its refusal).
    if (c.res.status === 202 && path === '/api/backup/restore') return
    try {
      const caller = callerOf(c)
      const account = c.get('account')
      const signIn = c.get('auditSignIn')
      const personId = caller?.personId ?? account?.personId ?? signIn?.personId ?? null
      const actor = caller ? caller.kind : account || signIn ? (personId === null ? 'admin_token' : 'account') : 'anonymous'
      await recordAudit(
        deps.db,
        {
          actor,
          personId,
          tokenId: caller?.tokenId ?? null,
          via: path.startsWith('/api/') ? 'api' : 'console',
          method: c.req.method,
          path,
          targetId: await createdId(c),
          status: c.res.status,
          ip: clientIp(c),
        },
        deps.clock(),
      )
    } catch (err) {
      deps.logger.error({ err: errorDetails(err), method: c.req.method, path }, 'audit record failed')
    }
  }
}

/** The id of what a request created: `{"id": n}` in a 201 answer, or the page a form redirected to. */
async function createdId(c: Context): Promise<number | null> {
  const location = c.res.headers.get('location')
  const fromLocation = location && /^\/admin\/[a-z-]+\/(\d{1,15})(?:[/?#]|$)/.exec(location)
  if (fromLocation && !/\/\d/.test(c.req.path)) return Number(fromLocation[1])
  if (c.res.status !== 201 || !(c.res.headers.get('content-type') ?? '').includes('json')) return null
  try {
    const body = (await c.res.clone().json()) as { id?: unknown }
    return typeof body?.id === 'number' ? body.id : null
  } catch {
    return null
  }
}
