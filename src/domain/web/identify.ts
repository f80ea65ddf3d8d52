import { and, eq, isNull, sql } from 'drizzle-orm'
import { invites, people, webAttempts } from '../../../db/schema/index.js'
import type { Db } from '../../../db/types.js'
import { sha256Hex } from '../../crypto.js'
import { normalizeInviteCode } from '../directory/invites.js'

/** Wrong codes one phone may type within the window before it has to wait. */
export const MAX_DEVICE_FAILURES = 5
/**
 * Wrong codes from one IP address within the window. Higher than a phone's: a school's or a
 * briefing hall's Wi-Fi puts hundreds of phones behind one address, and a typo is common.
 */
export const MAX_IP_FAILURES = 30
const WINDOW_MS = 3600_000

export type IdentifyResult =
  | { status: 'identified'; personId: number }
  | { status: 'invalid' }
  | { status: 'expired' }
  | { status: 'throttled'; retryAt: Date }

async function windowOf(db: Db, key: string, now: Date) {
  const [row] = await db.select().from(webAttempts).where(eq(webAttempts.key, key)).limit(1)
  if (!row || now.getTime() - row.windowStart.getTime() >= WINDOW_MS) return undefined
  return row
}

async function recordFailure(db: Db, key: string, now: Date) {
  const t = Math.floor(now.getTime() / 1000)
  const cutoff = Math.floor((now.getTime() - WINDOW_MS) / 1000)
  await db
    .insert(webAttempts)
    .values({ key, windowStart: now, failures: 1 })
    .onConflictDoUpdate({
      target: webAttempts.key,
      set: {
        failures: sql`case when ${webAttempts.windowStart} <= ${cutoff} then 1 else ${webAttempts.failures} + 1 end`,
        windowStart: sql`case when ${webAttempts.windowStart} <= ${cutoff} then ${t} else ${webAttempts.windowStart} end`,
      },
    })
}

/**
 * Who a personal code (the invite code on their sheet) belongs to, for the public pages. The code
 * is checked, not spent: it still links a chat afterwards, and a code already used to link a chat
 * still identifies its owner on a phone (the page lets them act only for themselves, and the code
 * expires as for chats). Wrong codes count against the phone (`device`) and its IP address; past
 * either limit nothing is checked until the window ends.
 */
export async function identifyWithCode(db: Db, input: { code: string; device: string; ip: string; now: Date }): Promise<IdentifyResult> {
  const keys = [`device:${input.device}`, `ip:${input.ip}`]
  const limits = [MAX_DEVICE_FAILURES, MAX_IP_FAILURES]
  for (let i = 0; i < keys.length; i++) {
    const w = await windowOf(db, keys[i]!, input.now)
    if (w && w.failures >= limits[i]!) return { status: 'throttled', retryAt: new Date(w.windowStart.getTime() + WINDOW_MS) }
  }
  const raw = normalizeInviteCode(input.code)
  const [invite] = raw
    ? await db
        .select({ personId: invites.personId, expiresAt: invites.expiresAt })
        .from(invites)
        .innerJoin(people, and(eq(people.id, invites.personId), isNull(people.erasedAt)))
        .where(eq(invites.codeHash, await sha256Hex(raw)))
        .limit(1)
    : []
  if (!invite) {
    for (const key of keys) await recordFailure(db, key, input.now)
    return { status: 'invalid' }
  }
  if (invite.expiresAt.getTime() <= input.now.getTime()) return { status: 'expired' }
  return { status: 'identified', personId: invite.personId }
}

/** The identified person as a page shows them to themselves, or undefined once erased or unknown. */
export async function webPerson(db: Db, personId: number) {
  const [row] = await db
    .select({ id: people.id, fullName: people.fullName, locale: people.locale })
    .from(people)
    .where(and(eq(people.id, personId), isNull(people.erasedAt)))
    .limit(1)
  return row
}
