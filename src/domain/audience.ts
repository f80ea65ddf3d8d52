import { and, eq, inArray, isNull, sql, type SQL } from 'drizzle-orm'
import { z } from 'zod'
import { chatLinks, people, roles, units, type Locale } from '../../db/schema/index.js'
import type { Db } from '../../db/types.js'
import { channelNames, type ChannelName } from '../core/events.js'
import { AppError } from '../errors.js'
import { hasRole } from './directory/people.js'
import { subtreeUnitIds } from './directory/units.js'

/** Who a broadcast, quiz or session is for. Empty lists mean "everyone". */
export const audienceSchema = z
  .object({
    unitCodes: z.array(z.string().trim().min(1)).max(2000).default([]),
    /** Units include the units below them unless this is false. */
    includeSubunits: z.boolean().default(true),
    roles: z.array(z.enum(roles)).max(roles.length).default([]),
    platforms: z.array(z.enum(channelNames as [ChannelName, ...ChannelName[]])).max(2).default([]),
  })
  .default({ unitCodes: [], includeSubunits: true, roles: [], platforms: [] })
export type Audience = z.infer<typeof audienceSchema>

export interface Recipient {
  personId: number
  unitId: number
  locale: Locale
  channel: ChannelName
  chatId: string
}

export interface ResolvedAudience {
  /** People in the directory who match. */
  people: number
  /** One chat per reachable person. */
  recipients: Recipient[]
  /** Matching people with no usable chat (never linked, blocked, or not on the chosen platforms). */
  unreachable: number
}

/** Unit ids the audience covers, or null for "all units". Throws 422 naming unknown codes. */
export async function audienceUnitIds(db: Db, audience: Audience): Promise<number[] | null> {
  if (audience.unitCodes.length === 0) return null
  const found = await db.select({ id: units.id, code: units.code }).from(units).where(inArray(units.code, audience.unitCodes))
  const unknown = audience.unitCodes.filter((c) => !found.some((f) => f.code === c))
  if (unknown.length) throw new AppError('unprocessable', `Unknown unit code(s): ${unknown.join(', ')}.`, { unknownUnitCodes: unknown })
  const ids = found.map((f) => f.id)
  return audience.includeSubunits ? subtreeUnitIds(db, ids) : ids
}

/** SQL condition on `people` for the audience's units and roles. */
export async function audienceCondition(db: Db, audience: Audience): Promise<SQL | undefined> {
  const unitIds = await audienceUnitIds(db, audience)
  const conds: SQL[] = []
  if (unitIds) conds.push(unitIds.length ? inArray(people.unitId, unitIds) : sql`0`)
  if (audience.roles.length) conds.push(sql`(${sql.join(audience.roles.map((r) => hasRole(r)), sql` or `)})`)
  return conds.length ? and(...conds) : undefined
}

/**
 * Expands an audience to one chat per person. A person linked on both platforms gets the message
 * once, on the chat they linked most recently (among the allowed platforms): the same brief twice
 * on two phones' apps is noise, and acknowledgement is per person anyway.
 */
export async function resolveAudience(db: Db, audience: Audience): Promise<ResolvedAudience> {
  const where = await audienceCondition(db, audience)
  const platforms = audience.platforms.length ? audience.platforms : [...channelNames]
  const rows = await db
    .select({
      personId: people.id,
      unitId: people.unitId,
      locale: people.locale,
      channel: chatLinks.channel,
      chatId: chatLinks.chatId,
      linkedAt: chatLinks.linkedAt,
    })
    .from(people)
    .leftJoin(
      chatLinks,
      and(eq(chatLinks.personId, people.id), isNull(chatLinks.blockedAt), inArray(chatLinks.channel, platforms)),
    )
    .where(where)
  const best = new Map<number, Recipient & { linkedAt: number }>()
  const seen = new Set<number>()
  for (const r of rows) {
    seen.add(r.personId)
    if (!r.channel || !r.chatId) continue
    const linkedAt = r.linkedAt?.getTime() ?? 0
    const prev = best.get(r.personId)
    if (!prev || linkedAt > prev.linkedAt) {
      best.set(r.personId, { personId: r.personId, unitId: r.unitId, locale: r.locale, channel: r.channel, chatId: r.chatId, linkedAt })
    }
  }
  const recipients = [...best.values()].map(({ linkedAt: _l, ...r }) => r)
  return { people: seen.size, recipients, unreachable: seen.size - recipients.length }
}
