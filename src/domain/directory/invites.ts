import { and, eq, isNull, notExists, sql } from 'drizzle-orm'
import { atomic } from '../../../db/atomic.js'
import { chatLinks, inviteFailures, invites, inviteUses, people, units } from '../../../db/schema/index.js'
import type { Db } from '../../../db/types.js'
import type { ChannelName } from '../../core/events.js'
import { randomString, sha256Hex } from '../../crypto.js'
import { chunk } from '../../util.js'

/** Letters and digits that cannot be misread aloud or on paper (no 0/O, 1/I/L). */
const ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789'
const CODE_LENGTH = 8

/** Shown as K7M4-Q2XP; typed in any case, with or without the dash or spaces. */
export function formatInviteCode(raw: string): string {
  return `${raw.slice(0, 4)}-${raw.slice(4)}`
}

/** The code inside whatever was typed, or null when it cannot be one. */
export function normalizeInviteCode(text: string): string | null {
  const compact = text.toUpperCase().replace(/[\s_-]/g, '')
  if (compact.length !== CODE_LENGTH) return null
  for (const ch of compact) if (!ALPHABET.includes(ch)) return null
  return compact
}

export function looksLikeInviteCode(text: string): boolean {
  return normalizeInviteCode(text) !== null
}

export interface IssuedInvite {
  personId: number
  code: string
  expiresAt: Date
}

/** Issues fresh codes for the given people. Only their hashes are stored. */
export async function issueInvites(db: Db, personIds: readonly number[], now: Date, ttlDays: number): Promise<IssuedInvite[]> {
  const expiresAt = new Date(now.getTime() + ttlDays * 86_400_000)
  const issued: IssuedInvite[] = []
  const rows: (typeof invites.$inferInsert)[] = []
  for (const personId of personIds) {
    const raw = randomString(CODE_LENGTH, ALPHABET)
    issued.push({ personId, code: formatInviteCode(raw), expiresAt })
    rows.push({ personId, codeHash: await sha256Hex(raw), createdAt: now, expiresAt })
  }
  await atomic(
    db,
    chunk(rows, 500).map((part) => db.insert(invites).values(part)),
  )
  return issued
}

/** People with no chat on any channel, optionally in one unit: who still needs a code. */
export async function unlinkedPeople(db: Db, unitCode?: string) {
  return db
    .select({ id: people.id, fullName: people.fullName, externalId: people.externalId, unitCode: units.code, unitName: units.name })
    .from(people)
    .innerJoin(units, eq(units.id, people.unitId))
    .where(
      and(
        unitCode ? eq(units.code, unitCode) : undefined,
        isNull(people.erasedAt),
        notExists(db.select({ one: sql`1` }).from(chatLinks).where(eq(chatLinks.personId, people.id))),
      ),
    )
    .orderBy(units.code, people.fullName)
}

export type RedeemResult =
  | { status: 'linked' | 'already_linked'; personId: number }
  | { status: 'invalid' | 'used' }
  | { status: 'throttled'; retryAt: Date }
  | { status: 'expired'; expiredAt: Date }
  | { status: 'chat_taken'; otherPersonId: number }

/**
 * Links a chat to the person an invite code names. The code is spent in the same atomic step as
 * the link is written, and the update is conditional on the code being unspent, so two chats racing
 * with one code cannot both win.
 */
export async function redeemInvite(
  db: Db,
  input: { code: string; channel: ChannelName; chatId: string; now: Date },
): Promise<RedeemResult> {
  const throttled = await failureWindow(db, input)
  if (throttled && throttled.failures >= MAX_FAILURES) {
    return { status: 'throttled', retryAt: new Date(throttled.windowStart.getTime() + FAILURE_WINDOW_MS) }
  }
  const raw = normalizeInviteCode(input.code)
  const [invite] = raw ? await db.select().from(invites).where(eq(invites.codeHash, await sha256Hex(raw))).limit(1) : []
  if (!invite) {
    await recordFailure(db, input)
    return { status: 'invalid' }
  }

  const [current] = await db
    .select({ personId: chatLinks.personId })
    .from(chatLinks)
    .where(and(eq(chatLinks.channel, input.channel), eq(chatLinks.chatId, input.chatId)))
    .limit(1)
  if (current && current.personId === invite.personId) return { status: 'already_linked', personId: invite.personId }
  const [use] = await db
    .select({ chatId: inviteUses.chatId })
    .from(inviteUses)
    .where(and(eq(inviteUses.inviteId, invite.id), eq(inviteUses.channel, input.channel)))
    .limit(1)
  if (use) return { status: 'used' }
  if (invite.expiresAt.getTime() <= input.now.getTime()) return { status: 'expired', expiredAt: invite.expiresAt }
  if (current) return { status: 'chat_taken', otherPersonId: current.personId }

  // The link is written only if this very chat spent the code, so a racing second chat gets nothing.
  await atomic(db, [
    db
      .insert(inviteUses)
      .values({ inviteId: invite.id, channel: input.channel, chatId: input.chatId, usedAt: input.now })
      .onConflictDoNothing(),
    db
      .insert(chatLinks)
      .select(
        db
          .select({
            id: sql`null`.as('id'),
            personId: sql`${invite.personId}`.as('person_id'),
            channel: inviteUses.channel,
            chatId: inviteUses.chatId,
            linkedAt: sql`${Math.floor(input.now.getTime() / 1000)}`.as('linked_at'),
            blockedAt: sql`null`.as('blocked_at'),
          })
          .from(inviteUses)
          .where(
            and(
              eq(inviteUses.inviteId, invite.id),
              eq(inviteUses.channel, input.channel),
              eq(inviteUses.chatId, input.chatId),
            ),
          ),
      )
      .onConflictDoUpdate({
        target: [chatLinks.personId, chatLinks.channel],
        set: { chatId: input.chatId, linkedAt: input.now, blockedAt: null },
      }),
  ])
  const [link] = await db
    .select({ personId: chatLinks.personId })
    .from(chatLinks)
    .where(and(eq(chatLinks.channel, input.channel), eq(chatLinks.chatId, input.chatId)))
    .limit(1)
  if (link?.personId !== invite.personId) return { status: 'used' }
  return { status: 'linked', personId: invite.personId }
}

/** Wrong codes a chat may send within an hour before it has to wait. */
export const MAX_FAILURES = 5
const FAILURE_WINDOW_MS = 3600_000

async function failureWindow(db: Db, input: { channel: ChannelName; chatId: string; now: Date }) {
  const [row] = await db
    .select()
    .from(inviteFailures)
    .where(and(eq(inviteFailures.channel, input.channel), eq(inviteFailures.chatId, input.chatId)))
    .limit(1)
  if (!row || input.now.getTime() - row.windowStart.getTime() >= FAILURE_WINDOW_MS) return undefined
  return row
}

async function recordFailure(db: Db, input: { channel: ChannelName; chatId: string; now: Date }) {
  const cutoff = Math.floor((input.now.getTime() - FAILURE_WINDOW_MS) / 1000)
  await db
    .insert(inviteFailures)
    .values({ channel: input.channel, chatId: input.chatId, windowStart: input.now, failures: 1 })
    .onConflictDoUpdate({
      target: [inviteFailures.channel, inviteFailures.chatId],
      // A window older than an hour starts again from this failure.
      set: {
        failures: sql`case when ${inviteFailures.windowStart} <= ${cutoff} then 1 else ${inviteFailures.failures} + 1 end`,
        windowStart: sql`case when ${inviteFailures.windowStart} <= ${cutoff} then ${Math.floor(input.now.getTime() / 1000)} else ${inviteFailures.windowStart} end`,
      },
    })
}

/** Records that the platform reported the person blocked (or unblocked) the bot in this chat. */
export async function setChatBlocked(db: Db, channel: ChannelName, chatId: string, blockedAt: Date | null) {
  await db
    .update(chatLinks)
    .set({ blockedAt })
    .where(and(eq(chatLinks.channel, channel), eq(chatLinks.chatId, chatId)))
}
