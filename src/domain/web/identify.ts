import { and, eq, isNull } from 'drizzle-orm'
import { invites, people } from '#db/schema/index.js'
import type { Db } from '#db/types.js'
import { sha256Hex } from '../../crypto.js'
import { attemptWindow, ATTEMPT_WINDOW_MS, recordAttemptFailure } from '../attempts.js'
import { normalizeInviteCode } from '../directory/invites.js'

/** Wrong codes one phone (its server-issued device id) may type within the hour before it has to wait. */
export const MAX_DEVICE_FAILURES = 5
/**
 * Wrong codes from one IP address that are answered at once. A school's or a briefing hall's Wi-Fi
 * puts hundreds of phones behind one address, and a typo is common.
 */
export const MAX_IP_FAILURES = 30
/**
 * From the 30th on, each wrong code from the address makes the next code from it wait: 1 s after
 * the 30th, 2 s after the 31st, doubling up to this. A wait is never longer, so a reader behind the
 * same address as a guesser gets their right code checked within it; the count starts again only
 * after an hour without wrong codes.
 */
export const MAX_IP_WAIT_MS = 256_000

export type IdentifyResult =
  | { status: 'identified'; personId: number }
  | { status: 'invalid' }
  | { status: 'expired' }
  | { status: 'throttled'; retryAt: Date }

/** When the address may have its next code checked, or undefined when it may now. */
export async function addressWait(db: Db, ip: string, now: Date): Promise<Date | undefined> {
  const w = await attemptWindow(db, `ip:${ip}`, now, 'last')
  if (!w || w.failures < MAX_IP_FAILURES) return undefined
  const wait = Math.min(2 ** Math.min(w.failures - MAX_IP_FAILURES, 30) * 1000, MAX_IP_WAIT_MS)
  const at = new Date(w.lastFailureAt.getTime() + wait)
  return at.getTime() > now.getTime() ? at : undefined
}

/**
 * Who a personal code (the invite code on their sheet) belongs to, for the public pages. The code
 * is checked, not spent: it still links a chat afterwards, and a code already used to link a chat
 * still identifies its owner on a phone (the page lets them act only for themselves, and the code
 * expires as for chats). Wrong codes count against the phone (`device`, an id the server issued
 * and signed; none for a phone without one) and its IP address (see MAX_IP_WAIT_MS); a phone past
 * its limit, or an address inside its wait, has nothing checked.
 */
export async function identifyWithCode(db: Db, input: { code: string; device: string | undefined; ip: string; now: Date }): Promise<IdentifyResult> {
  const deviceKey = input.device ? `device:${input.device}` : undefined
  const device = deviceKey ? await attemptWindow(db, deviceKey, input.now) : undefined
  if (device && device.failures >= MAX_DEVICE_FAILURES) return { status: 'throttled', retryAt: new Date(device.windowStart.getTime() + ATTEMPT_WINDOW_MS) }
  const wait = await addressWait(db, input.ip, input.now)
  if (wait) return { status: 'throttled', retryAt: wait }
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
    if (deviceKey) await recordAttemptFailure(db, deviceKey, input.now)
    await recordAttemptFailure(db, `ip:${input.ip}`, input.now, 'last')
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
