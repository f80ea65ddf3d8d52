import type { Locale } from '#db/schema/index.js'
import type { AppDeps } from '../deps.js'
import { translator } from '../i18n.js'
import { errorDetails } from '../log.js'
import { findAnswer, type FeatureIndex } from './answer.js'
import type { ChannelAdapter } from './channel.js'
import type { ChatStore } from './chat-store.js'
import type { ReplyWriter } from './outbox.js'
import type { Choice, InboundEvent, OutboundMessage } from './events.js'
import type { ConversationState, HandlerContext, LinkedPerson, Reply } from './handler.js'
import { seeSubscriber, setChatBlocked, setPersonLocale, wakeHeld } from './links.js'

/** A flow left alone this long is dropped, with a message, at the person's next message. */
const FLOW_TTL_MS = 24 * 3600_000

/** One update being handled: the app, the event, the adapter of its channel, and the time it is handled at. */
export interface Turn {
  deps: AppDeps
  event: InboundEvent
  channel: ChannelAdapter
  now: Date
  /** The outbox's writer for replies (`enqueueReply`, given by the app). */
  writeReply: ReplyWriter
}

/** Who wrote, in which language, and where the conversation stands. */
export interface Resolved {
  linked: LinkedPerson | null
  locale: Locale
  state: ConversationState | null
  offered: readonly Choice[]
  expired: boolean
}

/** The replies to send, in the language they are written in, and the person they go to. */
export interface Answered {
  out: OutboundMessage[]
  locale: Locale
  personId: number | null
}

/** The person behind the chat, their language, and the conversation (a flow left a day ago is dropped). */
export async function resolveStage(store: ChatStore, turn: Turn): Promise<Resolved> {
  const { event, now } = turn
  const [linked, conv] = await Promise.all([store.linked(event), store.conversation(event)])
  // Writing to the bot again means they are reachable again.
  if (linked?.link.blockedAt) await setChatBlocked(turn.deps.db, event.channel, event.chatId, null)
  // A subscriber's contact, whatever they wrote: retention counts from their last message.
  else if (!linked && event.isPrivate) await seeSubscriber(turn.deps.db, event.channel, event.chatId, now)
  // On a channel with a window (the OA), writing opens it: what waited for it goes now.
  if (turn.channel.limits?.windowHours) await wakeHeld(turn.deps.db, event.channel, event.chatId, now)
  const expired = !!(conv?.flow && now.getTime() - conv.updatedAt.getTime() > FLOW_TTL_MS)
  return {
    linked: linked ?? null,
    locale: linked?.person.locale ?? conv?.locale ?? 'vi',
    state: conv?.flow && !expired ? { flow: conv.flow, step: conv.step, data: conv.data ?? {} } : null,
    offered: expired ? [] : (conv?.choices ?? []),
    expired,
  }
}

/**
 * Runs the message through the handlers (`findAnswer`), then saves where the conversation stands
 * and the choices shown last: what a typed "1" or "đồng ý" refers to next time.
 */
export async function answerStage(store: ChatStore, features: FeatureIndex, turn: Turn, resolved: Resolved): Promise<Answered> {
  const { event, now } = turn
  const { linked, offered } = resolved
  let { locale, state } = resolved
  const out: OutboundMessage[] = []
  let stateChanged = resolved.expired
  if (resolved.expired) out.push({ text: translator(locale)('common.flowExpired') })

  const ctx: HandlerContext = {
    deps: turn.deps,
    event,
    channel: turn.channel,
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
      if (linked) await setPersonLocale(turn.deps.db, linked.person.id, next)
      await store.saveLocale(event, next, now)
    },
  }

  out.push(...asList(await findAnswer(features, ctx, event, state, offered)))

  const lastChoices = [...out].reverse().find((m) => m.choices?.length)?.choices ?? null
  if (stateChanged || lastChoices || offered.length > 0) await store.save(event, state, lastChoices, now)
  return { out, locale, personId: linked?.person.id ?? null }
}

/**
 * Flood control: past the budget a chat's messages are still handled and recorded, but answered
 * only once, with "slow down", until the minute is over.
 */
export function floodControl(answered: Answered, recent: number, perMinute: number): Answered {
  if (recent <= perMinute) return answered
  const out = recent === perMinute + 1 ? [{ text: translator(answered.locale)('common.slowDown') }] : []
  return { ...answered, out }
}

/**
 * The first reply rides in the webhook's response when the caller can carry it, the platform runs
 * it from there, and the bot's pace and the chat's interval allow a message right now; the others
 * are queued in the outbox, keyed by the update. All of it is committed before anyone hears of it.
 */
export async function replyStage(store: ChatStore, turn: Turn, answered: Answered, canCarry: boolean) {
  const { deps, event, channel, now } = turn
  const { out, locale } = answered
  const webhookReply =
    canCarry && out[0] && channel.webhookReply?.(event.chatId, out[0]) && deps.webhookReplyGrant?.(event.channel, event.chatId)
      ? out[0]
      : undefined
  // A chat this very message linked (a /start code) was nobody's when it was resolved: its replies
  // (the greeting names the person) are recorded with the person, so erasure and export find them.
  let personId = answered.personId
  if (personId === null && out.length > 0) personId = (await store.linked(event))?.person.id ?? null
  if (webhookReply) await store.saveWebhookReply(event, webhookReply)
  const expiresAt = new Date(now.getTime() + deps.config.deliveryHorizonHours * 3600_000)
  for (const [i, payload] of out.entries()) {
    if (webhookReply && i === 0) continue
    const dedupeKey = `reply:${event.channel}:${event.updateId}:${i}`
    await turn.writeReply(deps.db, { personId, channel: event.channel, chatId: event.chatId, locale, payload, dedupeKey, expiresAt }, now)
  }
  // What the replies announce ("recorded", the next question) is committed before anyone hears of it.
  await deps.committed()
  if (event.callbackId && channel.acknowledge) {
    await channel.acknowledge(event).catch((err) => deps.logger.debug({ err: errorDetails(err) }, 'callback answer failed'))
  }
  return { webhookReply, queued: out.length - (webhookReply ? 1 : 0) }
}

function asList(reply: Reply): OutboundMessage[] {
  if (!reply) return []
  return Array.isArray(reply) ? reply : [reply]
}
