import { and, eq, exists, gt, isNotNull, ne, notExists, sql, type SQL } from 'drizzle-orm'
import { atomic, type Statement } from '#db/atomic.js'
import {
  chatLinks,
  conversations,
  deliveries,
  inviteFailures,
  invites,
  inviteUses,
  people,
  processedUpdates,
  type InviteIssuer,
} from '#db/schema/index.js'
import type { Db } from '#db/types.js'
import type { ChannelName } from '../../core/events.js'
import { randomString, seal, sha256Hex } from '../../crypto.js'
import { chunk, rowsPerStatement } from '../../util.js'
import { consoleAccessSince, endConsoleAccess, NOTHING_ENDED, type AccessEnded } from '../console/cut-off.js'

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

/** What an invite code is sealed for (HKDF purpose), and the row it is bound to. */
export const INVITE_SEAL_PURPOSE = 'loa/invite-code/v1'
export const inviteSealContext = (personId: number, codeHash: string) => `${personId}:${codeHash}`

/**
 * Issues fresh codes for the given people, recording who issued them. Only their hashes are stored,
 * and, when a sealing key is configured, the code sealed with it so that a sheet can print it again.
 */
export async function issueInvites(
  db: Db,
  personIds: readonly number[],
  now: Date,
  ttlDays: number,
  issuedBy: InviteIssuer,
  sealKey?: string,
): Promise<IssuedInvite[]> {
  const expiresAt = new Date(now.getTime() + ttlDays * 86_400_000)
  const issued: IssuedInvite[] = []
  const rows: (typeof invites.$inferInsert)[] = []
  for (const personId of personIds) {
    const raw = randomString(CODE_LENGTH, ALPHABET)
    const codeHash = await sha256Hex(raw)
    const codeSealed = sealKey ? await seal(sealKey, INVITE_SEAL_PURPOSE, raw, inviteSealContext(personId, codeHash)) : null
    issued.push({ personId, code: formatInviteCode(raw), expiresAt })
    rows.push({ personId, codeHash, codeSealed, issuedBy, createdAt: now, expiresAt })
  }
  await atomic(
    db,
    chunk(rows, rowsPerStatement(7)).map((part) => db.insert(invites).values(part)),
  )
  return issued
}

/** How long a code asked for with /lienket lives: it is meant for the other messenger, right away. */
export const SELF_INVITE_TTL_MS = 86_400_000
/** How long an admin's code can link a person with the admin role. */
export const ADMIN_INVITE_WINDOW_MS = 86_400_000

/**
 * A code a linked person asks for in chat (/lienket) to link their other messenger. Earlier such
 * codes that were never used stop working, so at most one is live at a time.
 */
export async function issueSelfInvite(db: Db, personId: number, now: Date): Promise<IssuedInvite> {
  const raw = randomString(CODE_LENGTH, ALPHABET)
  const expiresAt = new Date(now.getTime() + SELF_INVITE_TTL_MS)
  await atomic(db, [
    db
      .update(invites)
      .set({ expiresAt: now })
      .where(
        and(
          eq(invites.personId, personId),
          eq(invites.issuedBy, 'self'),
          gt(invites.expiresAt, now),
          notExists(db.select({ one: sql`1` }).from(inviteUses).where(eq(inviteUses.inviteId, invites.id))),
        ),
      ),
    db.insert(invites).values({ personId, codeHash: await sha256Hex(raw), issuedBy: 'self', createdAt: now, expiresAt }),
  ])
  return { personId, code: formatInviteCode(raw), expiresAt }
}

export type RedeemResult =
  | {
      status: 'linked'
      personId: number
      linkId: number
      replaced: { channel: ChannelName; chatId: string; access: AccessEnded } | null
    }
  | { status: 'already_linked'; personId: number }
  | { status: 'invalid' }
  | { status: 'used'; inviteId: number; personId: number }
  | { status: 'throttled'; retryAt: Date }
  | { status: 'expired'; expiredAt: Date }
  | { status: 'superseded' }
  | { status: 'admin_code_required' }
  | { status: 'chat_taken'; otherPersonId: number }

/**
 * Whether a person is linked only by a code an admin issued for them within the last day: the
 * directory's admins, and anyone with a console account, whose chats receive its sign-in codes.
 */
export function linksOnlyByAdminCode(person: { roles: readonly string[]; consoleRole: string | null }): boolean {
  return person.roles.includes('admin') || person.consoleRole !== null
}

type InviteRow = typeof invites.$inferSelect
type RedeemInput = { code: string; channel: ChannelName; chatId: string; now: Date }

/**
 * Links a chat to the person an invite code names. A code links one chat, once: it is spent in
 * the same atomic step as the link is written, and only if no chat spent it before, so a second
 * chat (on either messenger, or racing the first) gets nothing. Every other code the person was
 * issued until then stops working in that step: a further chat needs /lienket from a linked one or
 * an admin's new code. A person with the admin role or a console account is linked only by a code
 * an admin issued for them within the last day. A new chat on a messenger the person already uses
 * replaces the old one, which stops receiving anything queued for it, and ends the person's
 * console access the old chat could have opened (see `endConsoleAccess`).
 */
export async function redeemInvite(db: Db, input: RedeemInput): Promise<RedeemResult> {
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
  const refused = await refusal(db, invite, input)
  if (refused) return refused
  if (current) return { status: 'chat_taken', otherPersonId: current.personId }
  return spend(db, invite, input)
}

/** Why a code that exists does not link this chat, or null when it does. */
async function refusal(db: Db, invite: InviteRow, input: RedeemInput): Promise<RedeemResult | null> {
  const [use] = await db.select({ chatId: inviteUses.chatId }).from(inviteUses).where(eq(inviteUses.inviteId, invite.id)).limit(1)
  if (use) {
    // A spent code sent again from another chat is what a takeover looks like: it counts as a wrong try.
    await recordFailure(db, input)
    return { status: 'used', inviteId: invite.id, personId: invite.personId }
  }
  if (invite.expiresAt.getTime() <= input.now.getTime()) {
    // A code that stopped working because its person linked a chat after it was issued.
    const [later] = await db
      .select({ id: chatLinks.id })
      .from(chatLinks)
      .where(and(eq(chatLinks.personId, invite.personId), gt(chatLinks.linkedAt, invite.createdAt)))
      .limit(1)
    return later ? { status: 'superseded' } : { status: 'expired', expiredAt: invite.expiresAt }
  }
  const [person] = await db
    .select({ roles: people.roles, consoleRole: people.consoleRole })
    .from(people)
    .where(eq(people.id, invite.personId))
    .limit(1)
  if (!person) return { status: 'invalid' }
  if (
    linksOnlyByAdminCode(person) &&
    (invite.issuedBy !== 'admin' || input.now.getTime() - invite.createdAt.getTime() > ADMIN_INVITE_WINDOW_MS)
  ) {
    return { status: 'admin_code_required' }
  }
  return null
}

/** Spends the code on this chat and links it, in one atomic step (see `redeemInvite`). */
async function spend(db: Db, invite: InviteRow, input: RedeemInput): Promise<RedeemResult> {
  const [previous] = await db
    .select({ chatId: chatLinks.chatId, linkedAt: chatLinks.linkedAt })
    .from(chatLinks)
    .where(and(eq(chatLinks.personId, invite.personId), eq(chatLinks.channel, input.channel)))
    .limit(1)
  const access = previous ? await consoleAccessSince(db, invite.personId, previous.linkedAt, input.now) : NOTHING_ENDED
  // Every statement after the first acts only if this very chat spent the code.
  const spentHere = exists(
    db
      .select({ one: sql`1` })
      .from(inviteUses)
      .where(
        and(eq(inviteUses.inviteId, invite.id), eq(inviteUses.channel, input.channel), eq(inviteUses.chatId, input.chatId)),
      ),
  )
  const nowSec = Math.floor(input.now.getTime() / 1000)
  await atomic(db, [
    claimCode(db, invite, input, nowSec),
    voidOtherCodes(db, invite, input.now, spentHere),
    // The person's previous chat on this messenger gives way to the new one, and so does what it could sign in to.
    ...(previous
      ? [
          ...detachChat(db, input.channel, previous.chatId, spentHere),
          ...endConsoleAccess(db, invite.personId, previous.linkedAt, input.now, spentHere),
        ]
      : []),
    db
      .delete(chatLinks)
      .where(and(eq(chatLinks.personId, invite.personId), eq(chatLinks.channel, input.channel), spentHere)),
    linkFromUse(db, invite, input, nowSec),
  ])
  const [link] = await db
    .select({ id: chatLinks.id, personId: chatLinks.personId })
    .from(chatLinks)
    .where(and(eq(chatLinks.channel, input.channel), eq(chatLinks.chatId, input.chatId)))
    .limit(1)
  if (link?.personId !== invite.personId) return { status: 'used', inviteId: invite.id, personId: invite.personId }
  return {
    status: 'linked',
    personId: invite.personId,
    linkId: link.id,
    replaced: previous && previous.chatId !== input.chatId ? { channel: input.channel, chatId: previous.chatId, access } : null,
  }
}

/** Records this chat's use of the code, unless some chat used it already: the first chat wins. */
function claimCode(db: Db, invite: InviteRow, input: RedeemInput, nowSec: number): Statement {
  return db
    .insert(inviteUses)
    .select(
      db
        .select({
          inviteId: invites.id,
          channel: sql`${input.channel}`.as('channel'),
          chatId: sql`${input.chatId}`.as('chat_id'),
          usedAt: sql`${nowSec}`.as('used_at'),
        })
        .from(invites)
        .where(
          and(
            eq(invites.id, invite.id),
            notExists(db.select({ one: sql`1` }).from(inviteUses).where(eq(inviteUses.inviteId, invite.id))),
          ),
        ),
    )
    .onConflictDoNothing()
}

/** Links the chat that used the code to its person; nothing when another chat used it first. */
function linkFromUse(db: Db, invite: InviteRow, input: RedeemInput, nowSec: number): Statement {
  return db
    .insert(chatLinks)
    .select(
      db
        .select({
          id: sql`null`.as('id'),
          personId: sql`${invite.personId}`.as('person_id'),
          channel: inviteUses.channel,
          chatId: inviteUses.chatId,
          linkedAt: sql`${nowSec}`.as('linked_at'),
          blockedAt: sql`null`.as('blocked_at'),
          confirmedAt: sql`null`.as('confirmed_at'),
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
    .onConflictDoNothing()
}

/**
 * Every other code issued to the person until now stops working (sheet, admin's and /lienket codes
 * alike): a code printed or sent before the person linked must not link anyone after them.
 */
function voidOtherCodes(db: Db, invite: InviteRow, now: Date, condition: SQL): Statement {
  return db
    .update(invites)
    .set({ expiresAt: now })
    .where(
      and(
        eq(invites.personId, invite.personId),
        ne(invites.id, invite.id),
        gt(invites.expiresAt, now),
        notExists(db.select({ one: sql`1` }).from(inviteUses).where(eq(inviteUses.inviteId, invites.id))),
        condition,
      ),
    )
}

/**
 * What unlinking a chat also undoes: messages still queued for it are dropped (they were meant for
 * the person, who no longer answers there), a conversation left half-way is forgotten, and so are
 * the replies kept for redeliveries of its updates.
 */
export function detachChat(db: Db, channel: ChannelName, chatId: string, condition?: SQL): Statement[] {
  return [
    db
      .update(deliveries)
      .set({ status: 'failed', failReason: 'cancelled', lastError: 'unlinked' })
      .where(and(eq(deliveries.channel, channel), eq(deliveries.chatId, chatId), eq(deliveries.status, 'queued'), condition)),
    db
      .delete(conversations)
      .where(and(eq(conversations.channel, channel), eq(conversations.chatId, chatId), condition)),
    // A reply kept for a redelivery of the chat's update (it can name the person): the chat is no
    // longer theirs, so an erasure, which finds their chats by their links, could not find it later.
    db
      .update(processedUpdates)
      .set({ webhookReply: null })
      .where(and(eq(processedUpdates.channel, channel), eq(processedUpdates.chatId, chatId), isNotNull(processedUpdates.webhookReply), condition)),
  ]
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
