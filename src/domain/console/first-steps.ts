import { and, isNull, ne, sql } from 'drizzle-orm'
import { broadcasts, invites, people } from '#db/schema/index.js'
import type { Db } from '#db/types.js'

/** The Department's first day, in order: what is done, for the overview's checklist. */
export interface FirstSteps {
  messenger: boolean
  directory: boolean
  invites: boolean
  brief: boolean
}

/**
 * Whether each first step is done: a messenger on, the directory imported (anyone in it), invite
 * codes handed out (any issued, on a sheet or to a person), a first brief or announcement sent or
 * scheduled (not a draft, not cancelled). Four `exists` in one statement.
 */
export async function firstSteps(db: Db, messengerOn: boolean): Promise<FirstSteps> {
  const [row] = await db.all<{ directory: number; invites: number; brief: number }>(sql`
    select
      exists (select 1 from ${people} where ${isNull(people.erasedAt)}) as directory,
      exists (select 1 from ${invites}) as invites,
      exists (select 1 from ${broadcasts} where ${and(ne(broadcasts.status, 'draft'), ne(broadcasts.status, 'cancelled'))}) as brief`)
  return { messenger: messengerOn, directory: !!row?.directory, invites: !!row?.invites, brief: !!row?.brief }
}

export const allDone = (s: FirstSteps) => s.messenger && s.directory && s.invites && s.brief
