import { and, eq, lt, sql } from 'drizzle-orm'
import { chatLinks, conversations, deliveries, people, processedUpdates, REPLY_PRIORITY, units, type Locale } from '../../db/schema/index.js'
import type { AppDeps } from '../deps.js'
import { normalize, translator } from '../i18n.js'
import { describe } from '../log.js'
import type { ChannelAdapter } from './channel.js'
import { matchChoice } from './choices.js'
import { parseCommand } from './commands.js'
import type { Choice, InboundEvent, OutboundMessage } from './events.js'
import type { ConversationState, Feature, HandlerContext, LinkedPerson, Reply } from './handler.js'
import { setChatBlocked, setPersonLocale } from './links.js'

/** A flow left alone this long is dropped, with a message, at the person's next message. */
export const FLOW_TTL_MS = 24 * 3600_000
const CANCEL_WORDS = new Set(['huy', 'cancel', 'thoat', 'exit'])
/** Longer than any way to type a cancel word ("/Thoát", " huỷ " with combining marks). */
const MAX_CANCEL_LENGTH = 32

export interface Receipt {
  status: 'accepted' | 'duplicate'
  /**
   * The first reply, when it goes out in the webhook's own HTTP response (Telegram runs one Bot API
   * call given there). It is kept on the update's own row (`processed_updates.inline_reply`), not in
   * the outbox; a redelivery of the update (the response never reached the platform) gets the
   * same reply again.
   */
  inline?: OutboundMessage
  /** Replies left in the outbox for the delivery layer to send (0 when none, or all rode inline). */
  queued?: number
}

export interface ReceiveOptions {
  /** The caller can carry the first reply in its response (a Telegram webhook). */
  inline?: boolean
}

export interface Router {
  /**
   * Handles one update exactly once: claims its id, runs it through the handlers and queues the
   * replies in the outbox, all in the database turn that is committed before this resolves. A
   * redelivery resolves 'duplicate' and changes nothing. Never throws for a handler's bug (the
   * person gets an apology); throws only when the database cannot be written.
   */
  receive(event: InboundEvent, options?: ReceiveOptions): Promise<Receipt>
}

/**
 * The chat router. One update goes through named stages:
 *   claim   – record the update id (a redelivery stops here) and count the chat's last minute;
 *   resolve – who wrote (the linked person), in which language, where the conversation stands;
 *   answer  – a command, an offered choice, the waiting flow, or a free-text handler;
 *   reply   – save the conversation and queue the replies in the outbox (the one send path).
 * Messages from one chat are handled one after another, so quick answers cannot race the state.
 */
export function createRouter(deps: AppDeps, features: readonly Feature[]): Router {
  const commands = new Map(features.flatMap((f) => f.commands ?? []).flatMap((c) => c.names.map((n) => [n, c] as const)))
  const knownNames = new Set(commands.keys())
  const flows = new Map(features.flatMap((f) => f.flows ?? []).map((f) => [f.name, f]))
  const choiceHandlers = features.flatMap((f) => f.choices ?? [])
  const textHandlers = features.flatMap((f) => f.text ?? [])
  const { db, logger } = deps
  const perMinute = deps.config.chatMessagesPerMinute ?? 20

  // The queries every message runs, compiled once: building them anew cost more than running them.
  // None has a LIMIT: each finds one row by a unique key, and a `limit ?` parameter makes SQLite
  // compile the statement again at every run (the planner reads its value), 20 µs a query.
  // The claim and the flood count in one statement: the count is of the chat's other updates in the
  // last minute, plus this one, so it does not matter whether RETURNING sees the new row.
  const claimQuery = db
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
  const linkedQuery = db
    .select({ person: people, unit: units, link: chatLinks })
    .from(chatLinks)
    .innerJoin(people, eq(people.id, chatLinks.personId))
    .innerJoin(units, eq(units.id, people.unitId))
    .where(and(eq(chatLinks.channel, sql.placeholder('channel')), eq(chatLinks.chatId, sql.placeholder('chatId'))))
    .prepare()
  const conversationQuery = db
    .select()
    .from(conversations)
    .where(and(eq(conversations.channel, sql.placeholder('channel')), eq(conversations.chatId, sql.placeholder('chatId'))))
    .prepare()
  const saveStateQuery = db
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

  const insertReplyQuery = db
    .insert(deliveries)
    .values({
      source: 'reply',
      sourceId: 0,
      personId: sql.placeholder('personId'),
      channel: sql.placeholder('channel'),
      chatId: sql.placeholder('chatId'),
      locale: sql.placeholder('locale'),
      payload: sql`${sql.placeholder('payload')}`,
      dedupeKey: sql.placeholder('dedupeKey'),
      status: 'queued',
      priority: REPLY_PRIORITY,
      nextAttemptAt: sql`${sql.placeholder('at')}`,
      expiresAt: sql`${sql.placeholder('expiresAt')}`,
      createdAt: sql`${sql.placeholder('at')}`,
    })
    .onConflictDoNothing({ target: deliveries.dedupeKey })
    .prepare()
  const inlineQuery = db
    .select({ reply: processedUpdates.inlineReply })
    .from(processedUpdates)
    .where(and(eq(processedUpdates.channel, sql.placeholder('channel')), eq(processedUpdates.updateId, sql.placeholder('updateId'))))
    .prepare()
  // The first reply carried in the webhook's response is written on the update's own row (one
  // in-place update) rather than as an outbox row: it never waits in the outbox, and a
  // redelivery of the update reads it back from there.
  const saveInlineQuery = db
    .update(processedUpdates)
    .set({ inlineReply: sql`${sql.placeholder('reply')}` })
    .where(and(eq(processedUpdates.channel, sql.placeholder('channel')), eq(processedUpdates.updateId, sql.placeholder('updateId'))))
    .prepare()

  // ── claim ────────────────────────────────────────────────────────────────────────────────
  /** Records the update id; null for a redelivery, else how many updates this chat sent in the last minute. */
  async function claim(event: InboundEvent, now: Date): Promise<number | null> {
    const [row] = await claimQuery.all({
      channel: event.channel,
      chatId: event.chatId,
      updateId: event.updateId,
      at: now,
      since: Math.floor(now.getTime() / 1000) - 60,
    })
    return row ? Number(row.recent) : null
  }

  // ── resolve ──────────────────────────────────────────────────────────────────────────────
  interface Resolved {
    linked: LinkedPerson | null
    locale: Locale
    state: ConversationState | null
    offered: readonly Choice[]
    expired: boolean
  }
  async function resolve(event: InboundEvent, now: Date): Promise<Resolved> {
    const key = { channel: event.channel, chatId: event.chatId }
    const [[linked], [conv]] = await Promise.all([linkedQuery.all(key), conversationQuery.all(key)])
    // Writing to the bot again means they are reachable again.
    if (linked?.link.blockedAt) await setChatBlocked(db, event.channel, event.chatId, null)
    const expired = !!(conv?.flow && now.getTime() - conv.updatedAt.getTime() > FLOW_TTL_MS)
    return {
      linked: linked ?? null,
      locale: linked?.person.locale ?? conv?.locale ?? 'vi',
      state: conv?.flow && !expired ? { flow: conv.flow, step: conv.step, data: conv.data ?? {} } : null,
      offered: expired ? [] : (conv?.choices ?? []),
      expired,
    }
  }

  // ── the whole update, in the chat's turn ────────────────────────────────────────────────
  const chains = new Map<string, Promise<unknown>>()
  function receive(event: InboundEvent, options: ReceiveOptions = {}): Promise<Receipt> {
    const key = `${event.channel}:${event.chatId}`
    const run = () => handle(event, options)
    const next = (chains.get(key) ?? Promise.resolve()).then(run, run)
    chains.set(key, next)
    void next.finally(() => {
      if (chains.get(key) === next) chains.delete(key)
    }).catch(() => {})
    return next
  }

  async function handle(event: InboundEvent, options: ReceiveOptions): Promise<Receipt> {
    const channel = deps.channels[event.channel]
    const now = deps.clock()
    const recent = await claim(event, now)
    if (recent === null) return { status: 'duplicate', inline: options.inline ? await inlineSentBefore(event) : undefined }
    if (!channel) return { status: 'accepted' }
    if (event.kind !== 'message') {
      await setChatBlocked(db, event.channel, event.chatId, event.kind === 'blocked' ? now : null)
      await deps.committed()
      return { status: 'accepted' }
    }
    let out: OutboundMessage[]
    let locale: Locale = 'vi'
    let personId: number | null = null
    try {
      const resolved = await resolve(event, now)
      locale = resolved.locale
      personId = resolved.linked?.person.id ?? null
      const handled = await run(event, channel, resolved, now)
      out = handled.out
      locale = handled.locale
    } catch (err) {
      // A handler's bug: the update stays handled (a retry would fail the same way) and the
      // person is told, through the outbox like any reply.
      logger.error({ err: describe(err), channel: event.channel, updateId: event.updateId }, 'handler failed')
      out = [{ text: translator(locale)('common.error') }]
    }
    // Flood control: past the budget a chat's messages are still handled and recorded, but
    // answered only once, with "slow down", until the minute is over.
    if (recent > perMinute) out = recent === perMinute + 1 ? [{ text: translator(locale)('common.slowDown') }] : []
    // The first reply rides in the webhook's response when the platform runs it from there and the
    // bot's pace and the chat's interval allow a message right now.
    const inline =
      options.inline && out[0] && channel.webhookSend?.(event.chatId, out[0]) && deps.inlineReply?.(event.channel, event.chatId)
        ? out[0]
        : undefined
    // A chat this very message linked (a /start code) was nobody's when it was resolved: its replies
    // (the greeting names the person) are recorded with the person, so erasure and export find them.
    if (personId === null && out.length > 0) personId = (await linkedQuery.all({ channel: event.channel, chatId: event.chatId }))[0]?.person.id ?? null
    await queueReplies(event, out, locale, personId, now, !!inline)
    // What the replies announce ("recorded", the next question) is committed before anyone hears of it.
    await deps.committed()
    if (event.callbackId && channel.acknowledge) {
      await channel.acknowledge(event).catch((err) => logger.debug({ err: describe(err) }, 'callback answer failed'))
    }
    return { status: 'accepted', inline, queued: out.length - (inline ? 1 : 0) }
  }

  /** The reply a first delivery of this update carried in its response, to carry it again. */
  async function inlineSentBefore(event: InboundEvent): Promise<OutboundMessage | undefined> {
    const [row] = await inlineQuery.all({ channel: event.channel, updateId: event.updateId })
    return row?.reply ? (row.reply as OutboundMessage) : undefined
  }

  // ── answer ───────────────────────────────────────────────────────────────────────────────
  async function run(event: InboundEvent, channel: ChannelAdapter, resolved: Resolved, now: Date) {
    let { locale, state } = resolved
    const { linked, offered } = resolved
    const out: OutboundMessage[] = []
    let stateChanged = resolved.expired
    if (resolved.expired) out.push({ text: translator(locale)('common.flowExpired') })

    const ctx: HandlerContext = {
      deps,
      event,
      channel,
      linked,
      get locale() {
        return locale
      },
      get t() {
        return translator(locale)
      },
      now,
      get conversation() {
        return state
      },
      async setConversation(next) {
        state = next
        stateChanged = true
      },
      async clearConversation() {
        state = null
        stateChanged = true
      },
      async setLocale(next) {
        locale = next
        if (linked) await setPersonLocale(db, linked.person.id, next)
        await saveConversation(event, { locale: next }, now)
      },
    }

    out.push(...asList(await answer(ctx, event, state, offered)))

    // Choices shown last in this chat are what a typed "1" or "đồng ý" refers to next time.
    const lastChoices = [...out].reverse().find((m) => m.choices?.length)?.choices ?? null
    if (stateChanged || lastChoices || offered.length > 0) {
      await saveStateQuery.run({
        channel: event.channel,
        chatId: event.chatId,
        flow: state?.flow ?? null,
        step: state?.step ?? null,
        data: state?.data ?? null,
        choices: lastChoices ? [...lastChoices] : null,
        updatedAt: now,
      })
    }
    return { out, locale }
  }

  async function answer(
    ctx: HandlerContext,
    event: InboundEvent,
    state: ConversationState | null,
    offered: readonly Choice[],
  ): Promise<Reply> {
    const t = ctx.t
    if (!event.isPrivate) {
      const cmd = parseCommand(event.text, knownNames)
      const command = cmd && commands.get(cmd.name)
      if (command?.inGroups) return command.run(ctx, cmd!.args)
      return cmd?.slashed ? { text: t('common.groupOnly') } : undefined
    }

    let choiceId = event.choiceId
    const text = event.text.trim()
    if (!choiceId && !text) return { text: t('common.unsupported') }

    // A cancel word is short: a long message (most of them) is not folded just to be compared.
    if (!choiceId && text.length <= MAX_CANCEL_LENGTH && CANCEL_WORDS.has(normalize(text).replace(/^\//, ''))) {
      if (!state) return { text: t('common.nothingToCancel') }
      await ctx.clearConversation()
      return { text: t('common.cancelled') }
    }

    // A slash command always wins; a bare command word wins unless a flow is waiting for free text
    // or the command takes only its slashed form.
    const cmd = choiceId ? null : parseCommand(text, knownNames)
    const command = cmd && commands.get(cmd.name)
    if (cmd && (cmd.slashed || (!state && !command?.slashOnly))) {
      if (!command) return { text: t('common.unknown') }
      if (command.requiresLink !== false && !ctx.linked) return { text: t('common.notLinked') }
      return command.run(ctx, cmd.args)
    }

    if (!choiceId && offered.length > 0) choiceId = matchChoice(text, offered)?.id
    if (choiceId) {
      const handler = choiceHandlers.find((h) => choiceId!.startsWith(`${h.prefix}:`))
      if (handler) {
        if (handler.requiresLink !== false && !ctx.linked) return { text: t('common.notLinked') }
        return handler.run(ctx, choiceId)
      }
    }

    if (state) {
      const flow = flows.get(state.flow)
      if (flow) return flow.onText(ctx, text)
      await ctx.clearConversation()
    }

    for (const handler of textHandlers) {
      const reply = await handler.run(ctx, text)
      if (reply !== null) return reply
    }
    return { text: ctx.linked ? t('common.unknown') : t('common.notLinked') }
  }

  // ── reply ────────────────────────────────────────────────────────────────────────────────
  const replyKey = (event: InboundEvent, i: number) => `reply:${event.channel}:${event.updateId}:${i}`
  /**
   * Replies leave through the outbox like every push, ahead of pushes, keyed by the update. A
   * first reply carried in the webhook response is recorded as sent, with `webhook` as its id.
   */
  async function queueReplies(
    event: InboundEvent,
    out: readonly OutboundMessage[],
    locale: Locale,
    personId: number | null,
    now: Date,
    firstInline: boolean,
  ) {
    const at = Math.floor(now.getTime() / 1000)
    const expiresAt = at + deps.config.deliveryHorizonHours * 3600
    if (firstInline && out[0]) {
      await saveInlineQuery.run({ channel: event.channel, updateId: event.updateId, reply: JSON.stringify(out[0]) })
    }
    for (const [i, message] of out.entries()) {
      if (firstInline && i === 0) continue
      await insertReplyQuery.run({
        personId,
        channel: event.channel,
        chatId: event.chatId,
        locale,
        payload: JSON.stringify(message),
        dedupeKey: replyKey(event, i),
        at,
        expiresAt,
      })
    }
  }

  async function saveConversation(
    event: InboundEvent,
    values: Partial<Omit<typeof conversations.$inferInsert, 'channel' | 'chatId'>>,
    now: Date,
  ) {
    await db
      .insert(conversations)
      .values({ channel: event.channel, chatId: event.chatId, ...values, updatedAt: now })
      .onConflictDoUpdate({ target: [conversations.channel, conversations.chatId], set: { ...values, updatedAt: now } })
  }

  return { receive }
}

function asList(reply: Reply): OutboundMessage[] {
  if (!reply) return []
  return Array.isArray(reply) ? reply : [reply]
}

/** Forgets update ids older than `days`; redeliveries come within minutes (Telegram keeps updates 24 h). */
export async function pruneProcessedUpdates(deps: AppDeps, days = 7) {
  const cutoff = new Date(deps.clock().getTime() - days * 86_400_000)
  await deps.db.delete(processedUpdates).where(lt(processedUpdates.receivedAt, cutoff))
}
