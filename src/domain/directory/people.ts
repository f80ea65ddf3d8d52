import { and, asc, count, desc, eq, inArray, isNull, ne, sql, type SQL } from 'drizzle-orm'
import { atomic, type Statement } from '../../../db/atomic.js'
import { chatLinks, people, units, type Role } from '../../../db/schema/index.js'
import type { Db } from '../../../db/types.js'
import { chunk } from '../../util.js'
import { AppError } from '../../errors.js'
import type { PersonInput, PersonPatch } from './schemas.js'
import type { RowError } from './units.js'

/** Checks a batch of people against the directory: the unit must exist, an externalId may appear once. */
export async function planPeople(db: Db, inputs: readonly PersonInput[]) {
  const unitRows = await db.select({ id: units.id, code: units.code }).from(units)
  const unitIdByCode = new Map(unitRows.map((u) => [u.code, u.id]))
  const errors: RowError[] = []
  const seen = new Map<string, number>()
  const accepted: (PersonInput & { unitId: number })[] = []
  inputs.forEach((input, index) => {
    const unitId = unitIdByCode.get(input.unitCode)
    if (unitId === undefined) {
      errors.push({ index, key: input.externalId ?? input.fullName, message: { key: 'api.checks.unknownUnit', params: { code: input.unitCode } } })
      return
    }
    if (input.externalId) {
      const first = seen.get(input.externalId)
      if (first !== undefined) {
        errors.push({ index, key: input.externalId, message: { key: 'api.checks.personTwice', params: { id: input.externalId } } })
        return
      }
      seen.set(input.externalId, index)
    }
    accepted.push({ ...input, unitId })
  })
  return { accepted, errors }
}

/**
 * Upserts people by externalId (people without one are always added) in one atomic step. A phone
 * given as null clears the one on file; a phone left out keeps it (a CSV with an empty cell is
 * the second kind, so a sheet without phone numbers never wipes them).
 */
export async function writePeople(db: Db, rows: readonly (PersonInput & { unitId: number })[], now: Date) {
  const statements: Statement[] = []
  const withPhone = rows.filter((p) => p.phone !== undefined)
  const withoutPhone = rows.filter((p) => p.phone === undefined)
  for (const [group, phone] of [
    [withPhone, sql`excluded.phone`],
    [withoutPhone, sql`${people.phone}`],
  ] as const) {
    // 8 columns a row keeps a 200-row statement well under SQLite's 32,766 variables.
    for (const part of chunk(group, 200)) {
      statements.push(
        db
          .insert(people)
          .values(
            part.map((p) => ({
              externalId: p.externalId ?? null,
              fullName: p.fullName,
              unitId: p.unitId,
              roles: p.roles,
              phone: p.phone ?? null,
              locale: p.locale ?? 'vi',
              createdAt: now,
              updatedAt: now,
            })),
          )
          .onConflictDoUpdate({
            target: people.externalId,
            set: {
              fullName: sql`excluded.full_name`,
              unitId: sql`excluded.unit_id`,
              roles: sql`excluded.roles`,
              phone,
              updatedAt: sql`excluded.updated_at`,
            },
          }),
      )
    }
  }
  await atomic(db, statements)
}

/**
 * Corrects some fields of one person (Decree 13/2023: the data subject may have their data
 * corrected). `phone: null` and `externalId: null` clear them. 404 for an unknown or erased person,
 * 422 for an unknown unit, 409 for an external id another person has.
 */
export async function updatePerson(db: Db, id: number, patch: PersonPatch, now: Date) {
  const found = await findPersonWithUnit(db, id)
  if (!found) throw new AppError('not_found', 'api.errors.noPerson', { id })
  if (found.person.erasedAt) throw new AppError('not_found', 'api.errors.personErased', { id })
  const set: Partial<typeof people.$inferInsert> = { updatedAt: now }
  if (patch.unitCode !== undefined) {
    const [unit] = await db.select({ id: units.id }).from(units).where(eq(units.code, patch.unitCode)).limit(1)
    if (!unit) throw new AppError('unprocessable', 'api.errors.unknownUnits', { codes: patch.unitCode }, { unknownUnitCodes: [patch.unitCode] })
    set.unitId = unit.id
  }
  if (patch.externalId) {
    const [other] = await db
      .select({ id: people.id })
      .from(people)
      .where(and(eq(people.externalId, patch.externalId), ne(people.id, id)))
      .limit(1)
    if (other) throw new AppError('conflict', 'api.errors.externalIdTaken', { externalId: patch.externalId, other: other.id })
  }
  if (patch.externalId !== undefined) set.externalId = patch.externalId
  if (patch.fullName !== undefined) set.fullName = patch.fullName
  if (patch.roles !== undefined) set.roles = patch.roles
  if (patch.phone !== undefined) set.phone = patch.phone
  if (patch.locale !== undefined) set.locale = patch.locale
  await db.update(people).set(set).where(and(eq(people.id, id), isNull(people.erasedAt)))
  const { items } = await listPeople(db, { id, limit: 1, offset: 0 })
  return items[0]!
}

export interface PeopleFilter {
  id?: number
  unitCode?: string
  role?: Role
  limit: number
  offset: number
}

export function hasRole(role: Role): SQL {
  return sql`exists (select 1 from json_each(${people.roles}) where json_each.value = ${role})`
}

export async function listPeople(db: Db, filter: PeopleFilter) {
  // Erased people are tombstones that only count: they are listed nowhere by name.
  const where: SQL[] = [isNull(people.erasedAt)]
  if (filter.id !== undefined) where.push(eq(people.id, filter.id))
  if (filter.unitCode) where.push(eq(units.code, filter.unitCode))
  if (filter.role) where.push(hasRole(filter.role))
  const cond = and(...where)
  const [rows, [total]] = await Promise.all([
    db
      .select({
        id: people.id,
        externalId: people.externalId,
        fullName: people.fullName,
        unitCode: units.code,
        roles: people.roles,
        locale: people.locale,
        hasPhone: sql<number>`${people.phone} is not null`,
      })
      .from(people)
      .innerJoin(units, eq(units.id, people.unitId))
      .where(cond)
      .orderBy(asc(people.id))
      .limit(filter.limit)
      .offset(filter.offset),
    db.select({ n: count() }).from(people).innerJoin(units, eq(units.id, people.unitId)).where(cond),
  ])
  const links = rows.length
    ? await db
        .select({ personId: chatLinks.personId, channel: chatLinks.channel, blockedAt: chatLinks.blockedAt })
        .from(chatLinks)
        .where(inArray(chatLinks.personId, rows.map((r) => r.id)))
    : []
  return {
    total: total?.n ?? 0,
    items: rows.map((r) => ({
      ...r,
      // The phone number is personal data: the API says whether one is on file, never what it is.
      hasPhone: Number(r.hasPhone) === 1,
      channels: links.filter((l) => l.personId === r.id).map((l) => ({ channel: l.channel, blocked: l.blockedAt != null })),
    })),
  }
}

/** The ids of people just written by `writePeople`: by staff ID, else the newest of that name in that unit. */
export async function savedPeopleIds(db: Db, written: readonly (PersonInput & { unitId: number })[]) {
  return Promise.all(
    written.map(async (p) => {
      const [row] = await db
        .select({ id: people.id })
        .from(people)
        .where(p.externalId ? eq(people.externalId, p.externalId) : and(eq(people.fullName, p.fullName), eq(people.unitId, p.unitId)))
        .orderBy(desc(people.id))
        .limit(1)
      return row?.id
    }),
  )
}

export async function unitExists(db: Db, code: string): Promise<boolean> {
  const [unit] = await db.select({ id: units.id }).from(units).where(eq(units.code, code)).limit(1)
  return !!unit
}

export async function findPersonWithUnit(db: Db, personId: number) {
  const [row] = await db
    .select({ person: people, unit: units })
    .from(people)
    .innerJoin(units, eq(units.id, people.unitId))
    .where(eq(people.id, personId))
    .limit(1)
  return row
}

/** The person who owns a chat, with their unit, or undefined when the chat is not linked. */
/** The core keeps the chat ↔ person lookups; the directory uses the same ones. */
export { findLinkedPerson, setPersonLocale } from '../../core/links.js'
