import type { AppDeps } from '../deps.js'
import { translator } from '../i18n.js'
import { errorDetails } from '../log.js'
import { indexFeatures, type FeatureIndex } from './answer.js'
import { createChatStore, type ChatStore } from './chat-store.js'
import type { InboundEvent, OutboundMessage } from './events.js'
import type { Feature } from './handler.js'
import { recordFollower, setChatBlocked } from './links.js'
import { answerStage, floodControl, replyStage, resolveStage, type Answered, type Resolved, type Turn } from './stages.js'
import type { ReplyWriter } from './outbox.js'

export interface Receipt {
  status: 'accepted' | 'duplicate'
  /**
   * The first reply, when it goes out in the webhook's own HTTP response (Telegram runs one Bot API
   * call given there). It is kept on the update's own row (`processed_updates.inline_reply`), not in
   * the outbox; a redelivery of the update (the response never reached the platform) gets the
   * same reply again.
   */
  webhookReply?: OutboundMessage
  /** Replies left in the outbox for the delivery layer to send (0 when none, or the one rode in the response). */
  queued?: number
}

export interface ReceiveOptions {
  /** The caller can carry the first reply in its response (a Telegram webhook). */
  webhookReply?: boolean
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
 * The chat router. One update goes through named stages (`handleUpdate`):
 *   claim   – record the update id (a redelivery stops here) and count the chat's last minute
 *             (`ChatStore.claim`);
 *   resolve – who wrote (the linked person), in which language, where the conversation stands
 *             (`resolveStage`);
 *   answer  – a command, an offered choice, the waiting flow, or a free-text handler (`answerStage`,
 *             which asks `findAnswer`), then the conversation saved;
 *   reply   – the first reply carried in the webhook response or queued in the outbox with the
 *             others (`replyStage`, through `enqueueReply`: the one send path).
 * Messages from one chat are handled one after another, so quick answers cannot race the state.
 */
export function createRouter(deps: AppDeps, features: readonly Feature[], writeReply: ReplyWriter): Router {
  const parts: RouterParts = {
    deps,
    writeReply,
    store: createChatStore(deps.db),
    features: indexFeatures(features),
    perMinute: deps.config.chatMessagesPerMinute ?? 20,
  }
  const chains = new Map<string, Promise<unknown>>()
  return {
    receive(event, options = {}) {
      const key = `${event.channel}:${event.chatId}`
      const handle = () => handleUpdate(parts, event, options)
      const next = (chains.get(key) ?? Promise.resolve()).then(handle, handle)
      chains.set(key, next)
      void next.finally(() => {
        if (chains.get(key) === next) chains.delete(key)
      }).catch(() => {})
      return next
    },
  }
}

/** What every update's stages use, made once per router. */
interface RouterParts {
  deps: AppDeps
  /** Where replies are queued: the outbox's `enqueueReply`. */
  writeReply: ReplyWriter
  store: ChatStore
  features: FeatureIndex
  /** A chat's updates a minute that are answered (CHAT_MESSAGES_PER_MINUTE). */
  perMinute: number
}

/** The whole update, in the chat's turn. */
async function handleUpdate({ deps, writeReply, store, features, perMinute }: RouterParts, event: InboundEvent, options: ReceiveOptions): Promise<Receipt> {
  const channel = deps.channels[event.channel]
  const now = deps.clock()
  const recent = await store.claim(event, now)
  if (recent === null) return { status: 'duplicate', webhookReply: options.webhookReply ? await store.webhookReply(event) : undefined }
  if (!channel) return { status: 'accepted' }
  if (event.kind !== 'message') {
    await setChatBlocked(deps.db, event.channel, event.chatId, event.kind === 'blocked' ? now : null)
    if (event.follow && event.isPrivate) await recordFollower(deps.db, event.channel, event.chatId, now)
    await deps.committed()
    return { status: 'accepted' }
  }
  const turn = { deps, event, channel, now, writeReply }
  const answered = floodControl(await resolveAndAnswer(store, features, turn), recent, perMinute)
  return { status: 'accepted', ...(await replyStage(store, turn, answered, !!options.webhookReply)) }
}

/**
 * Resolves and answers; a handler's bug leaves the update handled (a retry would fail the same
 * way) and the person is told, through the outbox like any reply.
 */
async function resolveAndAnswer(store: ChatStore, features: FeatureIndex, turn: Turn): Promise<Answered> {
  let resolved: Resolved | undefined
  try {
    resolved = await resolveStage(store, turn)
    return await answerStage(store, features, turn, resolved)
  } catch (err) {
    turn.deps.logger.error({ err: errorDetails(err), channel: turn.event.channel, updateId: turn.event.updateId }, 'handler failed')
    const locale = resolved?.locale ?? 'vi'
    return { out: [{ text: translator(locale)('common.error') }], locale, personId: resolved?.linked?.person.id ?? null }
  }
}
