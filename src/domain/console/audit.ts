import { and, desc, eq, gte, lt, sql, type SQL } from 'drizzle-orm'
import { auditLog, people, type AuditActor } from '#db/schema/index.js'
import type { Db } from '#db/types.js'

export interface AuditEntry {
  actor: AuditActor
  personId: number | null
  tokenId: number | null
  via: 'api' | 'console'
  method: string
  path: string
  targetId: number | null
  status: number
  ip: string | null
}

/**
 * The action a path stands for: numbers become `:id`, so `/api/people/12/links/3` is
 * `DELETE /api/people/:id/links/:id`, and the first number is the target.
 */
export function actionOf(method: string, path: string): { action: string; targetId: number | null } {
  let targetId: number | null = null
  const action = path
    .split('/')
    .map((part) => {
      if (!/^\d{1,15}$/.test(part)) return part
      if (targetId === null) targetId = Number(part)
      return ':id'
    })
    .join('/')
  return { action: `${method} ${action}`, targetId }
}

/** Writes one audit row. Paths are cut to 300 characters; no body or query string is ever kept. */
export async function recordAudit(db: Db, entry: AuditEntry, now: Date) {
  const path = entry.path.slice(0, 300)
  const { action, targetId } = actionOf(entry.method, path)
  await db.insert(auditLog).values({ ...entry, path, action, targetId: entry.targetId ?? targetId, at: now })
}

export interface AuditFilter {
  personId?: number
  actor?: AuditActor
  from?: Date
  to?: Date
  limit: number
  offset: number
}

/** The audit log, newest first, a page at a time, with the account's name where there is one. */
export async function listAudit(db: Db, filter: AuditFilter) {
  const where: SQL[] = []
  if (filter.personId !== undefined) where.push(eq(auditLog.personId, filter.personId))
  if (filter.actor) where.push(eq(auditLog.actor, filter.actor))
  if (filter.from) where.push(gte(auditLog.at, filter.from))
  if (filter.to) where.push(lt(auditLog.at, filter.to))
  const cond = where.length ? and(...where) : undefined
  const [rows, [total]] = await Promise.all([
    db
      .select({
        id: auditLog.id,
        at: auditLog.at,
        actor: auditLog.actor,
        personId: auditLog.personId,
        name: people.fullName,
        tokenId: auditLog.tokenId,
        via: auditLog.via,
        method: auditLog.method,
        path: auditLog.path,
        action: auditLog.action,
        targetId: auditLog.targetId,
        status: auditLog.status,
        ip: auditLog.ip,
      })
      .from(auditLog)
      .leftJoin(people, eq(people.id, auditLog.personId))
      .where(cond)
      .orderBy(desc(auditLog.at), desc(auditLog.id))
      .limit(filter.limit)
      .offset(filter.offset),
    db.select({ n: sql<number>`count(*)` }).from(auditLog).where(cond),
  ])
  return {
    total: Number(total?.n ?? 0),
    items: rows.map((r) => ({ ...r, at: r.at.toISOString(), name: r.name || null })),
  }
}
