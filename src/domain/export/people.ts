import { asc, eq, sql } from 'drizzle-orm'
import { people, units, type Role } from '#db/schema/index.js'
import type { Db } from '#db/types.js'
import type { ChannelName } from '../../core/events.js'
import type { Translate } from '../../i18n.js'
import { matchesQuery, peopleCondition, type PeopleFilter } from '../directory/people.js'
import { showPhone, table, yesNo, type Column, type ListExport } from './table.js'

interface PersonRow {
  externalId: string | null
  fullName: string
  unitCode: string
  unitName: string
  roles: Role[]
  phone: string | null
  /** Linked channels, comma-separated ("telegram,zalo": chat_links.channel values, each a ChannelName); null when none. */
  channels: string | null
  firstLinkedAt: number | null
}

const roleNames = (roles: readonly Role[], t: Translate) => roles.map((r) => t(`consoleDirectory.roleNames.${r}`)).join(', ')

const columns: Column<PersonRow>[] = [
  { header: 'exports.col.externalId', value: (p) => p.externalId },
  { header: 'exports.col.fullName', value: (p) => p.fullName },
  { header: 'exports.col.unitCode', value: (p) => p.unitCode },
  { header: 'exports.col.unitName', value: (p) => p.unitName },
  { header: 'exports.col.roles', value: (p, t) => roleNames(p.roles, t) },
  { header: 'exports.col.linked', value: (p, t) => yesNo(p.channels !== null, t) },
  {
    header: 'exports.col.channels',
    value: (p, t) => (p.channels ? [...new Set(p.channels.split(',') as ChannelName[])].map((ch) => t(`consoleContent.channel.${ch}`)).join(', ') : null),
  },
  { header: 'exports.col.linkedAt', value: (p) => (p.firstLinkedAt == null ? null : new Date(Number(p.firstLinkedAt) * 1000)) },
]

const phoneColumn: Column<PersonRow> = { header: 'exports.col.phone', value: (p) => showPhone(p.phone) }

/**
 * The directory (or the part a filter selects; `linked: false` is who has not linked yet) as one
 * sheet, in one query whatever its size: channels and first link time come from subqueries, not a
 * query per person. The phone column only when `withPhones` (admins; the caller records it).
 */
export async function peopleExport(db: Db, filter: Omit<PeopleFilter, 'limit' | 'offset'>, withPhones: boolean): Promise<ListExport> {
  const rows = await db
    .select({
      externalId: people.externalId,
      fullName: people.fullName,
      unitCode: units.code,
      unitName: units.name,
      roles: people.roles,
      phone: people.phone,
      channels: sql<string | null>`(select group_concat(l.channel) from chat_links l where l.person_id = ${people.id})`,
      firstLinkedAt: sql<number | null>`(select min(l.linked_at) from chat_links l where l.person_id = ${people.id})`,
    })
    .from(people)
    .innerJoin(units, eq(units.id, people.unitId))
    .where(peopleCondition(filter))
    .orderBy(asc(units.code), asc(people.fullName), asc(people.id))
  const q = filter.q?.trim()
  // Phone digits are searched only where phones are shown (admins).
  const found = q ? rows.filter(matchesQuery(q, withPhones)) : rows
  const notLinked = filter.linked === false
  return {
    file: notLinked ? 'chua-lien-ket' : 'danh-ba',
    tables: [table(notLinked ? 'exports.sheet.notLinked' : 'exports.sheet.people', withPhones ? [...columns, phoneColumn] : columns, found)],
    csvTable: 0,
  }
}
