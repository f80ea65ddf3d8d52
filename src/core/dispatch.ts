import { and, eq, lt, sql } from 'drizzle-orm'
import { chatLinks, conversations, people, processedUpdates, units, type Locale } from '../../db/schema/index.js'
import { findLinkedPerson, setPersonLocale } from '../domain/directory/people.js'
import { setChatBlocked } from '../domain/directory/invites.js'
import type { AppDeps } from '../deps.js'
import { normalize, translator } from '../i18n.js'
import { ChannelError, type ChannelAdapter } from './channel.js'
import { matchChoice } from './choices.js'
import { parseCommand } from './commands.js'
import type { Choice, InboundEvent, OutboundMessage } from './events.js'
import type { ConversationState, Feature, HandlerContext, Reply } from './handler.js'

/** A flow left alone this long is dropped, with a message, at the person's next message. */
export const FLOW_TTL_MS = 24 * 3600_000
const CANCEL_WORDS = new Set(['huy', 'cancel', 'thoat', 'exit'])

export interface Router {
  /** Records the update id; false when it was seen before (a redelivery). */
  claim(event: InboundEvent): Promise<boolean>
  /** Runs the event through the handlers and sends the replies. Never throws. */
  dispatch(event: InboundEvent): Promise<void>
}

/**
 * The chat error boundary and router: resolves who wrote and in which language, matches typed
 * answers to offered choices, and hands the event to a command, choice, flow or text handler.
 */
export function createRouter(deps: AppDeps, features: readonly Feature[]): Router {
  const commands = new Map(features.flatMap((f) => f.commands ?? []).flatMap((c) => c.names.map((n) => [n, c] as const)))
  const knownNames = new Set(commands.keys())
  const flows = new Map(features.flatMap((f) => f.flows ?? []).map((f) => [f.name, f]))
  const choiceHandlers = features.flatMap((f) => f.choices ?? [])
  const textHandlers = features.flatMap((f) => f.text ?? [])
  const { db, logger } = deps

  // The queries every message runs, compiled once: building them anew cost more than running them.
  const claimQuery = db
    .insert(processedUpdates)
    .values({ channel: sql.placeholder('channel'), updateId: sql.placeholder('updateId'), receivedAt: sql.placeholder('at') })
    .onConflictDoNothing()
    .returning({ id: processedUpdates.updateId })
    .prepare()
  const linkedQuery = db
    .select({ person: people, unit: units, link: chatLinks })
    .from(chatLinks)
    .innerJoin(people, eq(people.id, chatLinks.personId))
    .innerJoin(units, eq(units.id, people.unitId))
    .where(and(eq(chatLinks.channel, sql.placeholder('channel')), eq(chatLinks.chatId, sql.placeholder('chatId'))))
    .limit(1)
    .prepare()
  const conversationQuery = db
    .select()
    .from(conversations)
    .where(and(eq(conversations.channel, sql.placeholder('channel')), eq(conversations.chatId, sql.placeholder('chatId'))))
    .limit(1)
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

  async function claim(event: InboundEvent) {
    const rows = await claimQuery.all({ channel: event.channel, updateId: event.updateId, at: deps.clock() })
    return rows.length > 0
  }

  // Messages from one chat are handled one after another, so quick answers cannot race the
  // conversation state. (On Workers each request is its own isolate turn; the DB state still holds.)
  const chains = new Map<string, Promise<void>>()
  function dispatch(event: InboundEvent): Promise<void> {
    const key = `${event.channel}:${event.chatId}`
    const run = () => handle(event)
    const next = (chains.get(key) ?? Promise.resolve()).then(run, run)
    chains.set(key, next)
    void next.finally(() => {
      if (chains.get(key) === next) chains.delete(key)
    })
    return next
  }

  async function handle(event: InboundEvent) {
    const channel = deps.channels[event.channel]
    if (!channel) return
    try {
      await route(event, channel)
    } catch (err) {
      logger.error({ err: describe(err), channel: event.channel, updateId: event.updateId }, 'handler failed')
      try {
        const linked = await findLinkedPerson(db, event.channel, event.chatId)
        await channel.send(event.chatId, { text: translator(linked?.person.locale ?? 'vi')('common.error') })
      } catch (sendErr) {
        logger.warn({ err: describe(sendErr), channel: event.channel }, 'could not send the error message')
      }
    }
  }

  async function route(event: InboundEvent, channel: ChannelAdapter) {
    const now = deps.clock()
    if (event.kind !== 'message') {
      await setChatBlocked(db, event.channel, event.chatId, event.kind === 'blocked' ? now : null)
      return
    }
    const key = { channel: event.channel, chatId: event.chatId }
    const [[linked], [conv]] = await Promise.all([linkedQuery.all(key), conversationQuery.all(key)])
    // Writing to the bot again means they are reachable again.
    if (linked?.link.blockedAt) await setChatBlocked(db, event.channel, event.chatId, null)

    let locale: Locale = linked?.person.locale ?? conv?.locale ?? 'vi'
    const out: OutboundMessage[] = []
    let state: ConversationState | null =
      conv?.flow ? { flow: conv.flow, step: conv.step, data: conv.data ?? {} } : null
    let offered: readonly Choice[] = conv?.choices ?? []
    let stateChanged = false

    if (state && conv && now.getTime() - conv.updatedAt.getTime() > FLOW_TTL_MS) {
      out.push({ text: translator(locale)('common.flowExpired') })
      state = null
      offered = []
      stateChanged = true
    }

    const ctx: HandlerContext = {
      deps,
      event,
      channel,
      linked: linked ?? null,
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

    const reply = await answer(ctx, event, state, offered)
    out.push(...asList(reply))

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
    // What the replies announce ("recorded", the next question) must be committed before they go.
    await deps.committed()
    for (const message of out) await channel.send(event.chatId, message)
    if (event.callbackId && channel.acknowledge) {
      await channel.acknowledge(event).catch((err) => logger.debug({ err: describe(err) }, 'callback answer failed'))
    }
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

    if (!choiceId && CANCEL_WORDS.has(normalize(text).replace(/^\//, ''))) {
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

  return { claim, dispatch }
}

function asList(reply: Reply): OutboundMessage[] {
  if (!reply) return []
  return Array.isArray(reply) ? reply : [reply]
}

/** Error details safe to log: no URLs (they may hold a bot token), no request bodies. */
export function describe(err: unknown) {
  if (err instanceof ChannelError) return { name: err.name, message: err.message, kind: err.kind }
  if (err instanceof Error) return { name: err.name, message: err.message, stack: err.stack }
  return { message: String(err) }
}

/** Forgets update ids older than `days`; redeliveries come within minutes (Telegram keeps updates 24 h). */
export async function pruneProcessedUpdates(deps: AppDeps, days = 7) {
  const cutoff = new Date(deps.clock().getTime() - days * 86_400_000)
  await deps.db.delete(processedUpdates).where(lt(processedUpdates.receivedAt, cutoff))
}
