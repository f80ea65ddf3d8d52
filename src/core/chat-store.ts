import { and, eq, lt, sql } from 'drizzle-orm'
import { chatLinks, conversations, people, processedUpdates, units, type Locale } from '#db/schema/index.js'
import type { Db } from '#db/types.js'
import type { AppDeps } from '../deps.js'
import type { Choice, InboundEvent, OutboundMessage } from './events.js'
import type { ConversationState, LinkedPerson } from './handler.js'

/** One chat on one channel: the key of its link, its conversation and its updates' count. */
export type ChatKey = Pick<InboundEvent, 'channel' | 'chatId'>

/**
 * What the router reads and writes for one chat, its queries compiled once: building them anew
 * cost more than running them. None has a LIMIT: each finds one row by a unique key, and a
 * `limit ?` parameter makes SQLite compile the statement again at every run (the planner reads
 * its value). Replies are not written here: they go to the outbox (`enqueueReply`).
 */
export function createChatStore(db: Db) {
  const claimQuery = prepareClaim(db)
  const linkedQuery = prepareLinked(db)
  const conversationQuery = prepareConversation(db)
  const saveQuery = prepareSave(db)
  const { webhookReplyQuery, saveWebhookReplyQuery } = prepareWebhookReply(db)
  return {
    /** Records the update id; null for a redelivery, else how many updates this chat sent in the last minute. */
    async claim(event: InboundEvent, now: Date): Promise<number | null> {
      const since = Math.floor(now.getTime() / 1000) - 60
      const [row] = await claimQuery.all({ channel: event.channel, chatId: event.chatId, updateId: event.updateId, at: now, since })
      return row ? Number(row.recent) : null
    },
    /** The person linked to the chat, with their unit and the link. */
    async linked(key: ChatKey): Promise<LinkedPerson | undefined> {
      return (await linkedQuery.all({ channel: key.channel, chatId: key.chatId }))[0]
    },
    async conversation(key: ChatKey) {
      return (await conversationQuery.all({ channel: key.channel, chatId: key.chatId }))[0]
    },
    /** Saves where the conversation stands and the choices last offered (what a typed "1" refers to). */
    async save(key: ChatKey, state: ConversationState | null, choices: readonly Choice[] | null, now: Date) {
      await saveQuery.run({
        channel: key.channel,
        chatId: key.chatId,
        flow: state?.flow ?? null,
        step: state?.step ?? null,
        data: state?.data ?? null,
        choices: choices ? [...choices] : null,
        updatedAt: now,
      })
    },
    /** The language chosen in the chat (kept on its conversation row, for a chat not linked yet). */
    async saveLocale(key: ChatKey, locale: Locale, now: Date) {
      await db
        .insert(conversations)
        .values({ channel: key.channel, chatId: key.chatId, locale, updatedAt: now })
        .onConflictDoUpdate({ target: [conversations.channel, conversations.chatId], set: { locale, updatedAt: now } })
    },
    /** The reply a first delivery of this update carried in its webhook response, to carry it again. */
    async webhookReply(event: InboundEvent): Promise<OutboundMessage | undefined> {
      const [row] = await webhookReplyQuery.all({ channel: event.channel, updateId: event.updateId })
      return row?.reply ? (row.reply as OutboundMessage) : undefined
    },
    async saveWebhookReply(event: InboundEvent, reply: OutboundMessage) {
      await saveWebhookReplyQuery.run({ channel: event.channel, updateId: event.updateId, reply: JSON.stringify(reply) })
    },
  }
}

export type ChatStore = ReturnType<typeof createChatStore>

/** Forgets update ids older than `days`; redeliveries come within minutes (Telegram keeps updates 24 h). */
export async function pruneProcessedUpdates(deps: AppDeps, days = 7) {
  const cutoff = new Date(deps.clock().getTime() - days * 86_400_000)
  await deps.db.delete(processedUpdates).where(lt(processedUpdates.receivedAt, cutoff))
}

/**
 * The claim and the flood count in one statement: the count is of the chat's other updates in the
 * last minute, plus this one, so it does not matter whether RETURNING sees the new row.
 */
function prepareClaim(db: Db) {
  return db
    .insert(processedUpdates)
    .values({
      channel: sql.placeholder('channel'),
      updateId: sql.placeholder('updateId'),
      chatId: sql.placeholder('chatId'),
      receivedAt: sql.placeholder('at'),
    })
    .onConflictDoNothing()
    .returning({
      recent: sql<number>`(select count(*) from ${processedUpdates} where ${processedUpdates.channel} = ${sql.placeholder('channel')} and ${processedUpdates.chatId} = ${sql.placeholder('chatId')} and ${processedUpdates.receivedAt} > ${sql.placeholder('since')} and ${processedUpdates.updateId} <> ${sql.placeholder('updateId')}) + 1`,
    })
    .prepare()
}

function prepareLinked(db: Db) {
  return db
    .select({ person: people, unit: units, link: chatLinks })
    .from(chatLinks)
    .innerJoin(people, eq(people.id, chatLinks.personId))
    .innerJoin(units, eq(units.id, people.unitId))
    .where(and(eq(chatLinks.channel, sql.placeholder('channel')), eq(chatLinks.chatId, sql.placeholder('chatId'))))
    .prepare()
}

function prepareConversation(db: Db) {
  return db
    .select()
    .from(conversations)
    .where(and(eq(conversations.channel, sql.placeholder('channel')), eq(conversations.chatId, sql.placeholder('chatId'))))
    .prepare()
}

function prepareSave(db: Db) {
  return db
    .insert(conversations)
    .values({
      channel: sql.placeholder('channel'),
      chatId: sql.placeholder('chatId'),
      flow: sql.placeholder('flow'),
      step: sql.placeholder('step'),
      data: sql.placeholder('data'),
      choices: sql.placeholder('choices'),
      updatedAt: sql.placeholder('updatedAt'),
    })
    .onConflictDoUpdate({
      target: [conversations.channel, conversations.chatId],
      set: {
        flow: sql`excluded.flow`,
        step: sql`excluded.step`,
        data: sql`excluded.data`,
        choices: sql`excluded.choices`,
        updatedAt: sql`excluded.updated_at`,
      },
    })
    .prepare()
}

/**
 * The first reply carried in the webhook's response is written on the update's own row
 * (`processed_updates.inline_reply`, one in-place update) rather than as an outbox row: it never
 * waits in the outbox, and a redelivery of the update reads it back from there.
 */
function prepareWebhookReply(db: Db) {
  const update = () => and(eq(processedUpdates.channel, sql.placeholder('channel')), eq(processedUpdates.updateId, sql.placeholder('updateId')))
  return {
    webhookReplyQuery: db.select({ reply: processedUpdates.webhookReply }).from(processedUpdates).where(update()).prepare(),
    saveWebhookReplyQuery: db
      .update(processedUpdates)
      .set({ webhookReply: sql`${sql.placeholder('reply')}` })
      .where(update())
      .prepare(),
  }
}
