import { and, asc, count, desc, eq, inArray, isNull, ne, sql, type SQL } from 'drizzle-orm'
import { atomic, type Statement } from '#db/atomic.js'
import { chatLinks, people, units, type Role } from '#db/schema/index.js'
import type { Db } from '#db/types.js'
import { chunk, rowsPerStatement } from '../../util.js'
import { AppError } from '../../errors.js'
import { normalize } from '../../i18n.js'
import type { PersonInput, PersonPatch } from './schemas.js'
import type { RowError } from './units.js'

/**
 * Checks a batch of people against the directory: the unit must exist (or be among `comingUnits`,
 * units written in the same step), an externalId may appear once.
 */
export async function planPeople(db: Db, inputs: readonly PersonInput[], comingUnits: ReadonlySet<string> = new Set()) {
  const unitRows = await db.select({ id: units.id, code: units.code }).from(units)
  const unitIdByCode = new Map(unitRows.map((u) => [u.code, u.id]))
  const errors: RowError[] = []
  const seen = new Map<string, number>()
  const accepted: PlannedPerson[] = []
  inputs.forEach((input, index) => {
    const unitId = unitIdByCode.get(input.unitCode)
    if (unitId === undefined && !comingUnits.has(input.unitCode)) {
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
export async function writePeople(db: Db, rows: readonly PlannedPerson[], now: Date) {
  await atomic(db, peopleStatements(db, rows, now))
}

/** A person ready to write: the unit's id when it exists already, else it is found by code as the row is written. */
export type PlannedPerson = PersonInput & { unitId: number | undefined }

/** The statements of `writePeople`, for one atomic step with others (units of the same import). */
export function peopleStatements(db: Db, rows: readonly PlannedPerson[], now: Date): Statement[] {
  const statements: Statement[] = []
  const withPhone = rows.filter((p) => p.phone !== undefined)
  const withoutPhone = rows.filter((p) => p.phone === undefined)
  for (const [group, phone] of [
    [withPhone, sql`excluded.phone`],
    [withoutPhone, sql`${people.phone}`],
  ] as const) {
    // 8 values a row, and a 9th for the unit's code when it is looked up as the row is written.
    for (const part of chunk(group, rowsPerStatement(9))) {
      statements.push(
        db
          .insert(people)
          .values(
            part.map((p) => ({
              externalId: p.externalId ?? null,
              fullName: p.fullName,
              unitId: p.unitId ?? sql<number>`(select u.id from units u where u.code = ${p.unitCode})`,
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
  return statements
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
  /** Only this unit. */
  unitCode?: string
  /** This unit and every unit below it (a ward with its schools). */
  underUnitId?: number
  role?: Role
  /** true: people with a linked chat; false: people with none yet. */
  linked?: boolean
  /** Part of the name (any case, with or without diacritics), of the staff ID, or (with `phoneSearch`) of the phone number. */
  q?: string
  /**
   * Whether `q` also matches phone digits: for admins only, who may see phones. Others could
   * otherwise recover a number digit by digit from whether a person stays in the results.
   */
  phoneSearch?: boolean
  limit: number
  offset: number
}

export function hasRole(role: Role): SQL {
  return sql`exists (select 1 from json_each(${people.roles}) where json_each.value = ${role})`
}

/** The unit and every unit below it, as a subquery (no list of ids to bind). */
export function inUnitTree(rootId: number): SQL {
  return sql`${people.unitId} in (with recursive tree(id) as (
      select ${rootId} union select u.id from units u join tree t on u.parent_id = t.id
    ) select id from tree)`
}

const hasLink = sql`exists (select 1 from chat_links l where l.person_id = ${people.id})`

/** Does a person match what was typed in the search box? */
export function matchesQuery(q: string, phoneSearch = false) {
  const words = normalize(q).split(' ').filter(Boolean)
  const digits = q.replace(/[\s.()+-]/g, '')
  const phoneQuery = phoneSearch && /^\d{3,}$/.test(digits) ? digits.replace(/^84/, '0') : null
  return (p: { fullName: string; externalId: string | null; phone: string | null }) => {
    const name = normalize(p.fullName)
    if (words.length && words.every((w) => name.includes(w))) return true
    if (p.externalId && normalize(p.externalId).includes(normalize(q))) return true
    if (phoneQuery && p.phone && p.phone.replace(/^\+?84/, '0').includes(phoneQuery)) return true
    return false
  }
}

/** The SQL part of a filter (all but `q`, matched by `matchesQuery`); erased people never match. */
export function peopleCondition(filter: Omit<PeopleFilter, 'limit' | 'offset' | 'q'>) {
  // Erased people are tombstones that only count: they are listed nowhere by name.
  const where: SQL[] = [isNull(people.erasedAt)]
  if (filter.id !== undefined) where.push(eq(people.id, filter.id))
  if (filter.unitCode) where.push(eq(units.code, filter.unitCode))
  if (filter.underUnitId !== undefined) where.push(inUnitTree(filter.underUnitId))
  if (filter.role) where.push(hasRole(filter.role))
  if (filter.linked !== undefined) where.push(filter.linked ? hasLink : sql`not ${hasLink}`)
  return and(...where)
}

export async function listPeople(db: Db, filter: PeopleFilter) {
  const cond = peopleCondition(filter)
  const columns = {
    id: people.id,
    externalId: people.externalId,
    fullName: people.fullName,
    unitCode: units.code,
    unitName: units.name,
    roles: people.roles,
    locale: people.locale,
    phone: people.phone,
  }
  const base = () => db.select(columns).from(people).innerJoin(units, eq(units.id, people.unitId)).where(cond).orderBy(asc(people.id))
  let rows: Awaited<ReturnType<typeof base>>
  let totalCount: number
  if (filter.q?.trim()) {
    // Names are matched without diacritics or case ("nguyen thi anh" finds "Nguyễn Thị Ánh"),
    // which SQLite's LIKE cannot do: the other filters narrow in SQL, the words here.
    const found = (await base()).filter(matchesQuery(filter.q.trim(), filter.phoneSearch))
    totalCount = found.length
    rows = found.slice(filter.offset, filter.offset + filter.limit)
  } else {
    const [page, [total]] = await Promise.all([
      base().limit(filter.limit).offset(filter.offset),
      db.select({ n: count() }).from(people).innerJoin(units, eq(units.id, people.unitId)).where(cond),
    ])
    rows = page
    totalCount = total?.n ?? 0
  }
  const links = rows.length
    ? await db
        .select({ personId: chatLinks.personId, channel: chatLinks.channel, blockedAt: chatLinks.blockedAt })
        .from(chatLinks)
        .where(inArray(chatLinks.personId, rows.map((r) => r.id)))
    : []
  return {
    total: totalCount,
    items: rows.map(({ phone, ...r }) => ({
      ...r,
      // The phone number is personal data: the API says whether one is on file, never what it is.
      hasPhone: phone != null,
      channels: links.filter((l) => l.personId === r.id).map((l) => ({ channel: l.channel, blocked: l.blockedAt != null })),
    })),
  }
}

/** The ids of people just written by `writePeople`: by staff ID, else the newest of that name in that unit. */
export async function savedPeopleIds(db: Db, written: readonly PlannedPerson[]) {
  return Promise.all(
    written.map(async (p) => {
      const [row] = await db
        .select({ id: people.id })
        .from(people)
        .where(p.externalId ? eq(people.externalId, p.externalId) : and(eq(people.fullName, p.fullName), eq(people.unitId, p.unitId ?? -1)))
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
