import { and, eq, inArray, isNull, sql, type SQL } from 'drizzle-orm'
import { z } from 'zod'
import { chatLinks, people, roles, unitKinds, units, type Locale } from '#db/schema/index.js'
import type { Db } from '#db/types.js'
import { channelNames, type ChannelName } from '../core/events.js'
import { AppError } from '../errors.js'
import { hasRole } from './directory/people.js'
import { subtreeUnitIds } from './directory/units.js'

/** The unit kinds and roles an audience can name (for pickers outside the domain). */
export { roles, unitKinds }

/** Who a broadcast, quiz or session is for. Empty lists mean "everyone". */
export const audienceSchema = z
  .object({
    unitCodes: z.array(z.string().trim().min(1)).max(2000).default([]),
    /** Units include the units below them unless this is false. */
    includeSubunits: z.boolean().default(true),
    /**
     * Only units of these kinds (schools, wards…): within `unitCodes` (and their subtrees) when
     * given, else city-wide. Empty or absent: every kind.
     */
    unitKinds: z.array(z.enum(unitKinds)).max(unitKinds.length).optional(),
    roles: z.array(z.enum(roles)).max(roles.length).default([]),
    platforms: z.array(z.enum(channelNames as [ChannelName, ...ChannelName[]])).max(channelNames.length).default([]),
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
  const kinds = audience.unitKinds ?? []
  if (audience.unitCodes.length === 0) {
    if (kinds.length === 0) return null
    const ofKind = await db.select({ id: units.id }).from(units).where(inArray(units.kind, kinds))
    return ofKind.map((u) => u.id)
  }
  const found = await db.select({ id: units.id, code: units.code }).from(units).where(inArray(units.code, audience.unitCodes))
  const unknown = audience.unitCodes.filter((c) => !found.some((f) => f.code === c))
  if (unknown.length) throw new AppError('unprocessable', 'api.errors.unknownUnits', { codes: unknown.join(', ') }, { unknownUnitCodes: unknown })
  const ids = found.map((f) => f.id)
  const covered = audience.includeSubunits ? await subtreeUnitIds(db, ids) : ids
  if (kinds.length === 0 || covered.length === 0) return covered
  const ofKind = await db.select({ id: units.id, kind: units.kind }).from(units).where(inArray(units.kind, kinds))
  const wanted = new Set(ofKind.map((u) => u.id))
  return covered.filter((id) => wanted.has(id))
}

/**
 * SQL condition on `people` for the audience's units and roles. Erased people (nameless tombstones,
 * see domain/privacy.ts) are left out of every new audience; `includeErased` keeps them, for the
 * results of a past session whose attendance they still count in.
 */
export async function audienceCondition(db: Db, audience: Audience, opts: { includeErased?: boolean } = {}): Promise<SQL | undefined> {
  const unitIds = await audienceUnitIds(db, audience)
  const conds: SQL[] = opts.includeErased ? [] : [isNull(people.erasedAt)]
  // The ids go as one JSON value: D1 binds at most 100 values a statement, and a city's brief covers hundreds of units.
  if (unitIds) conds.push(unitIds.length ? sql`${people.unitId} in (select value from json_each(${JSON.stringify(unitIds)}))` : sql`0`)
  if (audience.roles.length) conds.push(sql`(${sql.join(audience.roles.map((r) => hasRole(r)), sql` or `)})`)
  return conds.length ? and(...conds) : undefined
}

/**
 * The chat a person is reached on: their most recently linked unblocked chat among `platforms`
 * (all when empty), as an SQL subquery on `people`. The one definition of that rule, used both here
 * and by the broadcast expansion, which runs in SQL for speed.
 */
export function preferredChatId(platforms: readonly ChannelName[]): SQL {
  const list = platforms.length ? platforms : channelNames
  return sql`(select c.id from chat_links c
    where c.person_id = ${people.id} and c.blocked_at is null
      and c.channel in (${sql.join(list.map((p) => sql`${p}`), sql`, `)})
    order by c.linked_at desc, c.id desc limit 1)`
}

/**
 * Expands an audience to one chat per person. A person linked on both platforms gets the message
 * once, on the chat they linked most recently (among the allowed platforms): the same brief twice
 * on two phones' apps is noise, and acknowledgement is per person anyway.
 */
export async function resolveAudience(db: Db, audience: Audience): Promise<ResolvedAudience> {
  const where = await audienceCondition(db, audience)
  const rows = await db
    .select({
      personId: people.id,
      unitId: people.unitId,
      locale: people.locale,
      channel: chatLinks.channel,
      chatId: chatLinks.chatId,
    })
    .from(people)
    .leftJoin(chatLinks, eq(chatLinks.id, preferredChatId(audience.platforms)))
    .where(where)
  const recipients: Recipient[] = []
  for (const r of rows) {
    if (r.channel && r.chatId) recipients.push({ personId: r.personId, unitId: r.unitId, locale: r.locale, channel: r.channel, chatId: r.chatId })
  }
  return { people: rows.length, recipients, unreachable: rows.length - recipients.length }
}
