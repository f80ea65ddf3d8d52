import { and, desc, eq, gt, gte, isNull, notInArray, sql } from 'drizzle-orm'
import { channelPauses, chatLinks, deliveries, processedUpdates } from '#db/schema/index.js'
import type { Db } from '#db/types.js'
import type { ChannelName } from '../core/events.js'
import { zonedTime } from '../time.js'

/** Local midnight on the first of the month after `at`: when monthly quotas start again. */
export function startOfNextMonth(at: Date, timeZone: string): Date {
  const [y, m] = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit' }).format(at).split('-').map(Number) as [number, number]
  const next = m === 12 ? `${y + 1}-01-01` : `${y}-${String(m + 1).padStart(2, '0')}-01`
  return zonedTime(next, '00:00:00', timeZone)
}

/** Local midnight on the first of the month of `at`. */
export function startOfMonth(at: Date, timeZone: string): Date {
  const day = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit' }).format(at)
  return zonedTime(`${day}-01`, '00:00:00', timeZone)
}

/** Until when the channel's sends are paused (a spent quota), or null. */
export async function pausedUntil(db: Db, channel: ChannelName, now: Date): Promise<Date | null> {
  const [row] = await db
    .select({ until: channelPauses.pausedUntil })
    .from(channelPauses)
    .where(and(eq(channelPauses.channel, channel), gt(channelPauses.pausedUntil, now)))
    .limit(1)
  return row?.until ?? null
}

export async function pauseChannel(db: Db, channel: ChannelName, until: Date, reason: string, now: Date) {
  await db
    .insert(channelPauses)
    .values({ channel, pausedUntil: until, reason: reason.slice(0, 300), pausedAt: now })
    .onConflictDoUpdate({ target: channelPauses.channel, set: { pausedUntil: until, reason: reason.slice(0, 300), pausedAt: now } })
}

/** Lifts a pause (an admin knows the quota was raised, or the 429 was only a burst). True when one was lifted. */
export async function liftPause(db: Db, channel: ChannelName): Promise<boolean> {
  const rows = await db.delete(channelPauses).where(eq(channelPauses.channel, channel)).returning({ channel: channelPauses.channel })
  return rows.length > 0
}

/** Whether the person last wrote to this chat within `hours` (the OA's consultation window). */
export async function windowOpen(db: Db, channel: ChannelName, chatId: string, now: Date, hours: number): Promise<boolean> {
  const since = new Date(now.getTime() - hours * 3_600_000)
  const rows = await db
    .select({ one: sql<number>`1` })
    .from(processedUpdates)
    .where(and(eq(processedUpdates.channel, channel), eq(processedUpdates.chatId, chatId), gte(processedUpdates.receivedAt, since)))
    .limit(1)
  return rows.length > 0
}

/** The person's next chat, most recently linked first, on a channel not in `tried`. */
export async function nextChat(db: Db, personId: number, tried: readonly ChannelName[]) {
  const [row] = await db
    .select({ channel: chatLinks.channel, chatId: chatLinks.chatId })
    .from(chatLinks)
    .where(and(eq(chatLinks.personId, personId), isNull(chatLinks.blockedAt), tried.length ? notInArray(chatLinks.channel, [...tried]) : undefined))
    .orderBy(desc(chatLinks.linkedAt), desc(chatLinks.id))
    .limit(1)
  return row ?? null
}

/** Moves a delivery to another chat of the same person, due now; `note` says from where and why. */
export async function moveDelivery(db: Db, id: number, to: { channel: ChannelName; chatId: string }, note: string, now: Date) {
  await db
    .update(deliveries)
    .set({ channel: to.channel, chatId: to.chatId, status: 'queued', nextAttemptAt: now, movedFrom: note, attempts: sql`max(${deliveries.attempts} - 1, 0)` })
    .where(eq(deliveries.id, id))
}

/** Messages the channel sent since the start of this month (what its monthly quota counts). */
export async function sentThisMonth(db: Db, channel: ChannelName, now: Date, timeZone: string): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)` })
    .from(deliveries)
    .where(and(eq(deliveries.channel, channel), eq(deliveries.status, 'sent'), gte(deliveries.sentAt, startOfMonth(now, timeZone))))
  return Number(row?.n ?? 0)
}
