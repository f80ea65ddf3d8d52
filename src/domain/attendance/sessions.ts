import { and, asc, desc, eq, gt, isNull, or } from 'drizzle-orm'
import { z } from 'zod'
import { attendance, people, sessionKinds, sessions, units, type SessionRow } from '#db/schema/index.js'
import type { Db } from '#db/types.js'
import type { ChannelName } from '../../core/events.js'
import { randomString } from '../../crypto.js'
import { AppError } from '../../errors.js'
import { audienceCondition, audienceSchema, audienceUnitIds, type Audience } from '../audience.js'
import { breakdown, type Member } from '../tally.js'

export { sessionKinds }

/** Codes are read aloud in a hall: a fixed prefix people recognise, then four digits. */
const CODE_PREFIX = 'NQ71'

/** Upper case, without spaces, dashes or dots: "nq71 - 4821" and "NQ71-4821" are the same code. */
export function codeKey(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toUpperCase()
    .replace(/[\s._-]/g, '')
}

export function generateSessionCode(): string {
  return `${CODE_PREFIX}-${randomString(4, '0123456789')}`
}

export const sessionInputSchema = z
  .object({
    title: z.string().trim().min(1).max(300),
    kind: z.enum(sessionKinds),
    opensAt: z.iso.datetime({ offset: true }).transform((s) => new Date(s)),
    closesAt: z.iso.datetime({ offset: true }).transform((s) => new Date(s)),
    code: z
      .string()
      .trim()
      .regex(/^[A-Za-z0-9][A-Za-z0-9 -]{2,18}[A-Za-z0-9]$/, 'api.checks.sessionCode')
      .optional(),
    audience: audienceSchema,
  })
  // zod runs this even when a time failed its format (a continuable issue), and then the field is
  // still the string: compare only real dates, or "opensAt": "" would be a 500.
  .refine((s) => !(s.opensAt instanceof Date && s.closesAt instanceof Date) || s.closesAt.getTime() > s.opensAt.getTime(), {
    message: 'api.checks.closesAfterOpens',
    path: ['closesAt'],
  })
export type SessionInput = z.infer<typeof sessionInputSchema>

/** Opens a session. A given code must be free (409); a generated one is retried until it is. */
export async function createSession(db: Db, input: SessionInput, now: Date): Promise<SessionRow> {
  await audienceUnitIds(db, input.audience)
  for (let attempt = 0; attempt < 20; attempt++) {
    const code = input.code ? input.code.toUpperCase().replace(/\s+/g, '-') : generateSessionCode()
    const rows = await db
      .insert(sessions)
      .values({
        title: input.title,
        kind: input.kind,
        code,
        codeKey: codeKey(code),
        opensAt: input.opensAt,
        closesAt: input.closesAt,
        audience: input.audience as unknown as Record<string, unknown>,
        createdAt: now,
      })
      .onConflictDoNothing({ target: sessions.codeKey })
      .returning()
    if (rows[0]) return rows[0]
    if (input.code) throw new AppError('conflict', 'api.errors.sessionCodeTaken', { code })
  }
  throw new AppError('conflict', 'api.errors.noFreeSessionCode')
}

export type CheckInResult =
  | { status: 'checked_in'; session: SessionRow; at: Date }
  | { status: 'already'; session: SessionRow; at: Date }
  | { status: 'not_open' | 'closed'; session: SessionRow }
  | { status: 'unknown' }

/** Records one attendance per person and session, only inside the session's window. */
export async function checkIn(
  db: Db,
  input: { code: string; personId: number; channel: ChannelName; now: Date },
): Promise<CheckInResult> {
  const key = codeKey(input.code)
  if (!key) return { status: 'unknown' }
  const [session] = await db.select().from(sessions).where(eq(sessions.codeKey, key)).limit(1)
  if (!session) return { status: 'unknown' }
  const [prior] = await db
    .select({ at: attendance.checkedInAt })
    .from(attendance)
    .where(and(eq(attendance.sessionId, session.id), eq(attendance.personId, input.personId)))
    .limit(1)
  if (prior) return { status: 'already', session, at: prior.at }
  const t = input.now.getTime()
  if (t < session.opensAt.getTime()) return { status: 'not_open', session }
  if (t > session.closesAt.getTime()) return { status: 'closed', session }
  const rows = await db
    .insert(attendance)
    .values({ sessionId: session.id, personId: input.personId, channel: input.channel, checkedInAt: input.now })
    .onConflictDoNothing()
    .returning({ at: attendance.checkedInAt })
  if (rows[0]) return { status: 'checked_in', session, at: rows[0].at }
  // Checked in from the other messenger a moment ago.
  const [won] = await db
    .select({ at: attendance.checkedInAt })
    .from(attendance)
    .where(and(eq(attendance.sessionId, session.id), eq(attendance.personId, input.personId)))
  return { status: 'already', session, at: won?.at ?? input.now }
}

export function presentSession(s: SessionRow) {
  return {
    id: s.id,
    title: s.title,
    kind: s.kind,
    code: s.code,
    opensAt: s.opensAt.toISOString(),
    closesAt: s.closesAt.toISOString(),
    audience: s.audience,
    createdAt: s.createdAt.toISOString(),
  }
}

export async function listSessions(db: Db) {
  const rows = await db.select().from(sessions).orderBy(desc(sessions.opensAt))
  return rows.map(presentSession)
}

export async function findSession(db: Db, id: number) {
  const [row] = await db.select().from(sessions).where(eq(sessions.id, id)).limit(1)
  return row
}

/** Who attended, and attendance counted by unit and role against the session's audience. */
export async function attendanceReport(db: Db, session: SessionRow) {
  const audience = audienceSchema.parse(session.audience) as Audience
  // People erased after the session opened still count (expected, and attended if they came);
  // they are only left out of the names. Those erased before it were never expected.
  const where = await audienceCondition(db, audience, { includeErased: true })
  const expected = await db
    .select({ id: people.id, unitId: people.unitId, roles: people.roles })
    .from(people)
    .where(and(where, or(isNull(people.erasedAt), gt(people.erasedAt, session.opensAt))))
  const attended = await db
    .select({
      personId: attendance.personId,
      fullName: people.fullName,
      unitId: people.unitId,
      unitCode: units.code,
      roles: people.roles,
      channel: attendance.channel,
      checkedInAt: attendance.checkedInAt,
      erasedAt: people.erasedAt,
    })
    .from(attendance)
    .innerJoin(people, eq(people.id, attendance.personId))
    .innerJoin(units, eq(units.id, people.unitId))
    .where(eq(attendance.sessionId, session.id))
    .orderBy(asc(attendance.checkedInAt), asc(attendance.personId))

  const attendedIds = new Set(attended.map((a) => a.personId))
  const expectedIds = new Set(expected.map((e) => e.id))
  // Everyone expected, plus anyone who came without being in the audience (they were briefed too).
  const members: Member[] = [
    ...expected.map((p) => {
      const came = attendedIds.has(p.id)
      return { unitId: p.unitId, roles: p.roles, flags: { expected: true, attended: came, attendedFromAudience: came } }
    }),
    ...attended
      .filter((a) => !expectedIds.has(a.personId))
      .map((a) => ({ unitId: a.unitId, roles: a.roles, flags: { expected: false, attended: true, attendedFromAudience: false } })),
  ]
  const tally = await breakdown(db, members, ['expected', 'attended', 'attendedFromAudience'], 'expected')
  return {
    session: presentSession(session),
    expected: expected.length,
    attended: attended.length,
    attendedFromAudience: tally.total.counts.attendedFromAudience,
    /** Share of the audience that attended (people from outside it do not raise it). */
    share: tally.total.shares.attendedFromAudience ?? null,
    byUnit: tally.byUnit,
    byRole: tally.byRole,
    items: attended.filter((a) => !a.erasedAt).map((a) => ({
      personId: a.personId,
      fullName: a.fullName,
      unitCode: a.unitCode,
      roles: a.roles,
      channel: a.channel,
      checkedInAt: a.checkedInAt.toISOString(),
      inAudience: expectedIds.has(a.personId),
    })),
  }
}

/** When the person checked in to the session, if they did (what its page shows them). */
export async function checkedInAt(db: Db, sessionId: number, personId: number): Promise<Date | undefined> {
  const [row] = await db
    .select({ at: attendance.checkedInAt })
    .from(attendance)
    .where(and(eq(attendance.sessionId, sessionId), eq(attendance.personId, personId)))
    .limit(1)
  return row?.at
}
