import { and, asc, desc, eq, exists, gt, ne, sql } from 'drizzle-orm'
import { atomic } from '#db/atomic.js'
import { chatLinks, deliveries, people, type ChatLinkRow, type Locale } from '#db/schema/index.js'
import type { Db } from '#db/types.js'
import type { ChannelName, OutboundMessage } from '../../core/events.js'
import { offerChoices } from '../../core/offers.js'
import { formatDateTime, translate } from '../../i18n.js'
import { enqueue, type NewDelivery } from '../../delivery/queue.js'
import type { Renderer } from '../../delivery/dispatcher.js'
import { consoleAccessSince, endConsoleAccess, type AccessEnded } from '../console/cut-off.js'
import { detachChat } from './invites.js'
import { choiceIds } from '../../core/choice-ids.js'

/** Outbox source of link announcements: their "Không phải tôi" choice is offered when they are sent. */
export const LINK_NOTICE_SOURCE = 'link'
/** The choice under an announcement: `unlink:<id of the new link>`. */

/**
 * A chat id as admins and owners see it: enough to tell two chats apart, not enough to write to it.
 * Telegram ids are a person's account number, so only the last three characters are shown.
 */
export function maskChatId(chatId: string): string {
  return chatId.length > 4 ? `…${chatId.slice(-3)}` : '…'
}

export interface LinkView {
  id: number
  channel: ChannelName
  chat: string
  linkedAt: string
  blocked: boolean
  blockedAt: string | null
}

export function presentLink(link: ChatLinkRow): LinkView {
  return {
    id: link.id,
    channel: link.channel,
    chat: maskChatId(link.chatId),
    linkedAt: link.linkedAt.toISOString(),
    blocked: link.blockedAt != null,
    blockedAt: link.blockedAt?.toISOString() ?? null,
  }
}

/** A person's chats, oldest link first. */
export async function listLinks(db: Db, personId: number): Promise<ChatLinkRow[]> {
  return db.select().from(chatLinks).where(eq(chatLinks.personId, personId)).orderBy(asc(chatLinks.linkedAt), asc(chatLinks.id))
}

async function localeOf(db: Db, personId: number) {
  const [row] = await db.select({ locale: people.locale }).from(people).where(eq(people.id, personId)).limit(1)
  return row?.locale ?? 'vi'
}

/** A link just removed, and what its removal ended of the person's console access. */
export type RevokedLink = ChatLinkRow & { access: AccessEnded }

/**
 * Removes one of a person's links at once: the chat stops being that person, what was queued for
 * it is dropped, a conversation left half-way is forgotten, the person's console sessions end and
 * the API tokens minted since the chat was linked are revoked (see `endConsoleAccess`). The chat is
 * told (through the outbox) that it was unlinked and needs a new code, and the person's other
 * chats that it is gone (but the one that pressed "Không phải tôi", `presserId`, which gets the
 * answer). Null when the person has no such link.
 */
export async function revokeLink(
  db: Db,
  input: { personId: number; linkId: number; now: Date; by: 'admin' | 'owner'; presserId?: number },
): Promise<RevokedLink | null> {
  const [link] = await db
    .select()
    .from(chatLinks)
    .where(and(eq(chatLinks.id, input.linkId), eq(chatLinks.personId, input.personId)))
    .limit(1)
  if (!link) return null
  const access = await consoleAccessSince(db, input.personId, link.linkedAt, input.now)
  const stillLinked = exists(db.select({ one: sql`1` }).from(chatLinks).where(eq(chatLinks.id, link.id)))
  const deleted = await atomic(db, [
    ...endConsoleAccess(db, input.personId, link.linkedAt, input.now, stillLinked),
    ...detachChat(db, link.channel, link.chatId),
    db.delete(chatLinks).where(eq(chatLinks.id, link.id)),
  ])
  if (deleted === 0) return null
  const locale = await localeOf(db, input.personId)
  const params = { channel: translate(locale, `channel.${link.channel}`), chat: maskChatId(link.chatId) }
  const others = (await listLinks(db, input.personId)).filter((l) => l.id !== input.presserId)
  const told = [translate(locale, 'link.unlinkedElsewhere', params), ...accessLines(locale, access)].join(' ')
  await enqueue(
    db,
    [
      {
        source: 'message',
        sourceId: link.id,
        personId: input.personId,
        channel: link.channel,
        chatId: link.chatId,
        locale,
        payload: { text: translate(locale, input.by === 'admin' ? 'link.revokedByAdmin' : 'link.revokedByOwner') },
        dedupeKey: `link:${link.id}:revoked`,
      },
      ...others.map((other) => ({
        source: 'message',
        sourceId: link.id,
        personId: input.personId,
        channel: other.channel,
        chatId: other.chatId,
        locale,
        payload: { text: told },
        dedupeKey: `link:${link.id}:revoked:to:${other.id}`,
      })),
    ],
    input.now,
  )
  return { ...link, access }
}

/** The sentences telling a person what an unlink ended in the console (none when it ended nothing). */
export function accessLines(locale: Locale, access: AccessEnded): string[] {
  return [
    ...(access.sessions > 0 ? [translate(locale, 'link.consoleSessionsEnded')] : []),
    ...(access.tokens > 0 ? [translate(locale, 'link.consoleTokensRevoked', { count: access.tokens })] : []),
  ]
}

/**
 * Tells the person's other chats that a new one was linked, each with a "Không phải tôi" choice
 * that undoes it; a chat the new one replaced on the same messenger is told too (it can no longer
 * answer, so it is told where to turn).
 */
export async function announceLink(
  db: Db,
  input: {
    personId: number
    linkId: number
    channel: ChannelName
    chatId: string
    replaced: { channel: ChannelName; chatId: string; access: AccessEnded } | null
    now: Date
    timeZone: string
  },
) {
  const locale = await localeOf(db, input.personId)
  const others = (await listLinks(db, input.personId)).filter((l) => l.id !== input.linkId)
  const params = {
    channel: translate(locale, `channel.${input.channel}`),
    chat: maskChatId(input.chatId),
    time: formatDateTime(input.now, input.timeZone),
  }
  // A replaced chat ended the console access it could have opened: every chat hears of it.
  const ended = input.replaced ? accessLines(locale, input.replaced.access) : []
  const rows: NewDelivery[] = others.map((other) => ({
    source: LINK_NOTICE_SOURCE,
    sourceId: input.linkId,
    personId: input.personId,
    channel: other.channel,
    chatId: other.chatId,
    locale,
    payload: {
      text: [translate(locale, 'link.announce', params), ...ended].join('\n'),
      choices: [{ id: choiceIds.unlink.of(input.linkId), label: translate(locale, 'link.notMe') }],
    },
    dedupeKey: `link:${input.linkId}:announce:${other.id}`,
  }))
  if (input.replaced) {
    rows.push({
      source: 'message',
      sourceId: input.linkId,
      personId: input.personId,
      channel: input.replaced.channel,
      chatId: input.replaced.chatId,
      locale,
      payload: { text: [translate(locale, 'link.replaced', params), ...ended].join('\n') },
      dedupeKey: `link:${input.linkId}:replaced`,
    })
  }
  return enqueue(db, rows, input.now)
}

/**
 * Warns the owner of a spent code, on each of their chats, that another chat tried it. Once per
 * code and trying chat, so an intruder sending it again and again does not flood the owner.
 */
export async function warnCodeReused(
  db: Db,
  input: { inviteId: number; personId: number; channel: ChannelName; chatId: string; now: Date; timeZone: string },
) {
  const locale = await localeOf(db, input.personId)
  const text = translate(locale, 'link.codeReused', {
    channel: translate(locale, `channel.${input.channel}`),
    time: formatDateTime(input.now, input.timeZone),
  })
  const owners = await listLinks(db, input.personId)
  return enqueue(
    db,
    owners.map((l) => ({
      source: 'message',
      sourceId: input.inviteId,
      personId: input.personId,
      channel: l.channel,
      chatId: l.chatId,
      locale,
      payload: { text },
      dedupeKey: `invite:${input.inviteId}:reused:${input.channel}:${input.chatId}:to:${l.id}`,
    })),
    input.now,
  )
}

export type UndoResult =
  | { status: 'undone'; link: RevokedLink }
  | { status: 'gone' }
  | { status: 'refused' }

function isOlder(a: ChatLinkRow, b: ChatLinkRow) {
  const d = a.linkedAt.getTime() - b.linkedAt.getTime()
  return d < 0 || (d === 0 && a.id < b.id)
}

/**
 * "Không phải tôi": undoes link `linkId`, but only when pressed from a chat of the same person that
 * was linked before it. The new chat itself, or anyone else, changes nothing.
 */
export async function undoLink(db: Db, presser: ChatLinkRow, linkId: number, now: Date): Promise<UndoResult> {
  const [target] = await db.select().from(chatLinks).where(eq(chatLinks.id, linkId)).limit(1)
  if (!target) return { status: 'gone' }
  if (target.personId !== presser.personId || target.id === presser.id || !isOlder(presser, target)) {
    return { status: 'refused' }
  }
  const revoked = await revokeLink(db, { personId: target.personId, linkId, now, by: 'owner', presserId: presser.id })
  return revoked ? { status: 'undone', link: revoked } : { status: 'gone' }
}

/**
 * The newest link a typed "không phải tôi" refers to: one of the person's chats linked after the
 * presser's, within the last week. Undefined when there is none, so the words mean nothing special.
 */
export async function latestNewerLink(db: Db, presser: ChatLinkRow, now: Date): Promise<ChatLinkRow | undefined> {
  const rows = await db
    .select()
    .from(chatLinks)
    .where(
      and(
        eq(chatLinks.personId, presser.personId),
        ne(chatLinks.id, presser.id),
        gt(chatLinks.linkedAt, new Date(now.getTime() - 7 * 86_400_000)),
      ),
    )
    .orderBy(desc(chatLinks.linkedAt), desc(chatLinks.id))
  return rows.find((r) => isOlder(presser, r))
}

/**
 * Whether the last message sent to this chat is the announcement of link `linkId`. A typed "1" is
 * read as "Không phải tôi" only then: after a brief whose "1. Đã đọc" is not remembered for the chat,
 * a "1" means "read", not "undo my other chat".
 */
export async function lastSentIsAnnouncement(db: Db, presser: ChatLinkRow, linkId: number): Promise<boolean> {
  const [last] = await db
    .select({ source: deliveries.source, sourceId: deliveries.sourceId })
    .from(deliveries)
    .where(
      and(
        eq(deliveries.personId, presser.personId),
        eq(deliveries.channel, presser.channel),
        eq(deliveries.chatId, presser.chatId),
        eq(deliveries.status, 'sent'),
      ),
    )
    .orderBy(desc(deliveries.sentAt), desc(deliveries.id))
    .limit(1)
  return last?.source === LINK_NOTICE_SOURCE && last.sourceId === linkId
}

/**
 * Announcements are sent as written; on Zalo the "Không phải tôi" choice is remembered for the chat
 * when it is sent, so a typed "1" answers it (never over an open quiz question, where "1" is an answer).
 */
export const linkNoticeRenderer: Renderer = async (deps, d) => {
  const message = (d.payload as OutboundMessage | null) ?? null
  if (message?.choices?.length) await offerChoices(deps.db, d, message.choices, deps.clock(), `${choiceIds.quiz.prefix}:`)
  return message
}
