import { and, eq, inArray, isNotNull, lte, or, sql } from 'drizzle-orm'
import { deliveries } from '#db/schema/index.js'
import type { Db } from '#db/types.js'
import { payloadRenderer, type Renderer } from '../../delivery/dispatcher.js'
import { chunk, MAX_BOUND_PARAMETERS } from '../../util.js'

/** Outbox source of sign-in codes: the code rides in the payload only until the delivery ends. */
export const SIGNIN_SOURCE = 'signin'

/**
 * Empties the payload (the message with the code) of sign-in deliveries that ended (sent, failed,
 * blocked) or are past their horizon, so that the outbox never keeps a code readable: of `codeIds`
 * only, or all of them (the retention job). Returns how many were emptied.
 */
export async function forgetSigninPayloads(db: Db, now: Date, codeIds?: readonly number[]): Promise<number> {
  const ended = or(
    sql`${deliveries.status} in ('sent', 'failed', 'blocked')`,
    lte(deliveries.expiresAt, now),
  )
  const base = and(eq(deliveries.source, SIGNIN_SOURCE), isNotNull(deliveries.payload), ended)
  const parts = codeIds ? chunk(codeIds, MAX_BOUND_PARAMETERS - 10) : [null]
  let emptied = 0
  for (const ids of parts) {
    const rows = await db
      .update(deliveries)
      .set({ payload: null })
      .where(ids ? and(base, inArray(deliveries.sourceId, ids)) : base)
      .returning({ id: deliveries.id })
    emptied += rows.length
  }
  return emptied
}

/**
 * Sign-in codes are sent as queued (the payload); once the dispatcher settles them, whether sent
 * or not, their payload is emptied.
 */
export const signinRenderer: Renderer = Object.assign((...args: Parameters<Renderer>) => payloadRenderer(...args), {
  settle: async (deps: Parameters<Renderer>[0], codeIds: readonly number[]) => {
    await forgetSigninPayloads(deps.db, deps.clock(), codeIds)
  },
})
