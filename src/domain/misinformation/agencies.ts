import { and, asc, desc, eq, isNull } from 'drizzle-orm'
import { agencies, agencyLiaisons, chatLinks, claims, people, units } from '#db/schema/index.js'
import type { Db } from '#db/types.js'
import { AppError } from '../../errors.js'
import type { AgencyInput, AgencyPatch } from './schemas.js'
import type { AgencyView, LiaisonView } from './views.js'

/**
 * The agencies the desk routes claims to (the Department of Culture, wards, the police, others),
 * kept by the admin, each with its liaisons: people of the directory reached in their linked chat.
 */

async function liaisonsOf(db: Db, agencyId?: number): Promise<Map<number, LiaisonView[]>> {
  const rows = await db
    .select({ agencyId: agencyLiaisons.agencyId, personId: people.id, name: people.fullName, unitName: units.name, erasedAt: people.erasedAt })
    .from(agencyLiaisons)
    .innerJoin(people, eq(people.id, agencyLiaisons.personId))
    .innerJoin(units, eq(units.id, people.unitId))
    .where(agencyId === undefined ? undefined : eq(agencyLiaisons.agencyId, agencyId))
    .orderBy(asc(people.fullName))
  const linked = new Set(
    (
      await db
        .select({ personId: chatLinks.personId })
        .from(chatLinks)
        .innerJoin(agencyLiaisons, eq(agencyLiaisons.personId, chatLinks.personId))
        .where(isNull(chatLinks.blockedAt))
    ).map((r) => r.personId),
  )
  const out = new Map<number, LiaisonView[]>()
  for (const r of rows) {
    if (r.erasedAt) continue
    const list = out.get(r.agencyId) ?? []
    list.push({ personId: r.personId, name: r.name, unitName: r.unitName, reachable: linked.has(r.personId) })
    out.set(r.agencyId, list)
  }
  return out
}

type AgencyJoined = { a: typeof agencies.$inferSelect; unitCode: string | null; unitName: string | null }

function view(r: AgencyJoined, liaisons: readonly LiaisonView[]): AgencyView {
  return {
    id: r.a.id,
    name: r.a.name,
    kind: r.a.kind,
    unitId: r.a.unitId,
    unit: r.unitCode !== null && r.unitName !== null ? { code: r.unitCode, name: r.unitName } : null,
    active: r.a.active,
    liaisons: [...liaisons],
    createdAt: r.a.createdAt.toISOString(),
  }
}

const joined = (db: Db) => db.select({ a: agencies, unitCode: units.code, unitName: units.name }).from(agencies).leftJoin(units, eq(units.id, agencies.unitId))

/** The agencies list, active first then by name, each with its liaisons. */
export async function listAgencies(db: Db): Promise<AgencyView[]> {
  const rows = await joined(db).orderBy(desc(agencies.active), asc(agencies.name), asc(agencies.id))
  const liaisons = await liaisonsOf(db)
  return rows.map((r) => view(r, liaisons.get(r.a.id) ?? []))
}

/** One agency; AppError not_found when absent. */
export async function getAgency(db: Db, id: number): Promise<AgencyView> {
  const [row] = await joined(db).where(eq(agencies.id, id)).limit(1)
  if (!row) throw new AppError('not_found', 'misinfo.errors.noAgency', { id })
  return view(row, (await liaisonsOf(db, id)).get(id) ?? [])
}

async function mustBeUnit(db: Db, unitId: number | null | undefined) {
  if (unitId === null || unitId === undefined) return
  const [u] = await db.select({ id: units.id }).from(units).where(eq(units.id, unitId)).limit(1)
  if (!u) throw new AppError('invalid_input', 'misinfo.errors.unitUnknown', { id: unitId })
}

/** Adds an agency; an unknown `unitId` is a 400. */
export async function createAgency(db: Db, input: AgencyInput, now: Date): Promise<AgencyView> {
  await mustBeUnit(db, input.unitId)
  const [row] = await db
    .insert(agencies)
    .values({ name: input.name, kind: input.kind, unitId: input.unitId ?? null, active: input.active ?? true, createdAt: now })
    .returning({ id: agencies.id })
  return getAgency(db, row!.id)
}

export async function updateAgency(db: Db, id: number, patch: AgencyPatch): Promise<AgencyView> {
  await getAgency(db, id)
  await mustBeUnit(db, patch.unitId)
  const set = {
    ...(patch.name !== undefined ? { name: patch.name } : {}),
    ...(patch.kind !== undefined ? { kind: patch.kind } : {}),
    ...(patch.unitId !== undefined ? { unitId: patch.unitId } : {}),
    ...(patch.active !== undefined ? { active: patch.active } : {}),
  }
  if (Object.keys(set).length) await db.update(agencies).set(set).where(eq(agencies.id, id))
  return getAgency(db, id)
}

/** Deletes an agency no claim was routed to; one in use is deactivated instead (`deleted: false`). */
export async function deleteAgency(db: Db, id: number): Promise<{ id: number; deleted: boolean; active: boolean }> {
  await getAgency(db, id)
  const [used] = await db.select({ id: claims.id }).from(claims).where(eq(claims.agencyId, id)).limit(1)
  if (used) {
    await db.update(agencies).set({ active: false }).where(eq(agencies.id, id))
    return { id, deleted: false, active: false }
  }
  await db.delete(agencyLiaisons).where(eq(agencyLiaisons.agencyId, id))
  await db.delete(agencies).where(eq(agencies.id, id))
  return { id, deleted: true, active: false }
}

/** Makes a person of the directory a liaison of the agency (idempotent); unknown or erased person: 400. */
export async function addLiaison(db: Db, agencyId: number, personId: number, now: Date): Promise<AgencyView> {
  await getAgency(db, agencyId)
  const [p] = await db
    .select({ id: people.id })
    .from(people)
    .where(and(eq(people.id, personId), isNull(people.erasedAt)))
    .limit(1)
  if (!p) throw new AppError('invalid_input', 'misinfo.errors.personUnknown', { id: personId })
  await db.insert(agencyLiaisons).values({ agencyId, personId, createdAt: now }).onConflictDoNothing()
  return getAgency(db, agencyId)
}

export async function removeLiaison(db: Db, agencyId: number, personId: number): Promise<AgencyView> {
  await getAgency(db, agencyId)
  await db.delete(agencyLiaisons).where(and(eq(agencyLiaisons.agencyId, agencyId), eq(agencyLiaisons.personId, personId)))
  return getAgency(db, agencyId)
}
