import type { ChannelAdapter } from '../../core/channel.js'
import type { InboundEvent } from '../../core/events.js'
import { numberedChoicesText, splitText, ZALO_MAX_TEXT } from '../../core/text.js'
import { secretChecker } from '../../crypto.js'
import type { Logger } from '../../deps.js'
import { createZaloClient, type ZaloClient } from './client.js'
import { fetchImageUrl } from '../shared/image.js'
import { parseWebhookBody } from '../shared/parse.js'
import { unwrapUpdate, zaloUpdateSchema, type ZaloUpdate } from './schemas.js'

/** sendMessage accepts 1–2000 characters (unit unstated; we count UTF-16 units to be safe). */
export { ZALO_MAX_TEXT }

export interface ZaloAdapterOptions {
  token: string
  apiRoot: string
  webhookSecret: string | undefined
  fetch?: typeof fetch
  /** Longest wait for one API call (default 10 s). */
  timeoutSeconds?: number
  /** Where a malformed update is reported (once, by the paths that failed, never its text). */
  logger?: Logger
  /** HTTP client for image downloads, read as a stream (global fetch when left out). */
  mediaFetch?: typeof fetch
  /** Hosts whose image URLs may be http or a private address (MEDIA_FETCH_ALLOW_HOSTS). */
  mediaAllowHosts?: readonly string[]
  /** A host name's addresses (Node's DNS), so that a name pointing at a private address is refused too. */
  mediaResolveHost?: (hostname: string) => Promise<readonly string[]>
}

/**
 * Zalo Bot Platform ↔ neutral events. Zalo has no buttons, so choices become numbered lines; the
 * core matches "1", "a" or the label typed back.
 */
export function createZaloAdapter(options: ZaloAdapterOptions): ChannelAdapter & { client: ZaloClient } {
  const client = createZaloClient({
    token: options.token,
    apiRoot: options.apiRoot,
    fetch: options.fetch,
    timeoutMs: (options.timeoutSeconds ?? 10) * 1000,
  })
  const checkSecret = options.webhookSecret ? secretChecker(options.webhookSecret) : undefined
  return {
    name: 'zalo',
    client,
    maxTextLength: ZALO_MAX_TEXT,
    async verify(req) {
      return checkSecret ? checkSecret(req.headers.get('x-bot-api-secret-token')) : false
    },
    parse(body) {
      const update = parseWebhookBody(zaloUpdateSchema, unwrapUpdate(body), { channel: 'zalo', logger: options.logger })
      return update ? toEvent(update) : null
    },
    async send(chatId, message) {
      let last = { messageId: '' }
      if (message.imageUrl) {
        const sent = await client.sendPhoto(chatId, message.imageUrl)
        last = { messageId: sent.message_id }
      }
      for (const part of splitText(numberedChoicesText(message), ZALO_MAX_TEXT)) {
        const sent = await client.sendMessage(chatId, part)
        last = { messageId: sent.message_id }
      }
      return last
    },
    async registerWebhook(url, secret) {
      await client.setWebhook(url, secret)
    },
    fetchImage(image, maxBytes) {
      return fetchImageUrl(image.ref, { maxBytes, fetch: options.mediaFetch, allowHosts: options.mediaAllowHosts, resolveHost: options.mediaResolveHost })
    },
  }
}

/** Messages a person sent that carry no text we can read: answered with "please type". */
const CONTENT_EVENTS = new Set([
  'message.image.received',
  'message.sticker.received',
  'message.voice.received',
  'message.unsupported.received',
])

function toEvent(update: ZaloUpdate): InboundEvent | null {
  const m = update.message
  if (!m || m.from.is_bot) return null
  const isText = update.event_name === 'message.text.received'
  // Reactions, link previews and other undocumented events are ignored, not answered.
  if (!isText && !CONTENT_EVENTS.has(update.event_name)) return null
  const photo = update.event_name === 'message.image.received' ? (m.photo_url ?? m.photo) : undefined
  return {
    kind: 'message',
    channel: 'zalo',
    updateId: m.message_id,
    chatId: m.chat.id,
    isPrivate: (m.chat.chat_type ?? 'PRIVATE').toUpperCase() !== 'GROUP',
    sender: { id: m.from.id, name: m.from.display_name ?? m.from.name },
    // An image's text is its caption. Stickers and unsupported content carry no text; the core
    // answers that it reads text only (and so for an image no handler takes).
    text: isText ? (m.text ?? '') : photo ? (m.caption ?? '') : '',
    ...(photo ? { image: { ref: photo } } : {}),
    receivedAt: m.date ? new Date(m.date) : new Date(),
  }
}
