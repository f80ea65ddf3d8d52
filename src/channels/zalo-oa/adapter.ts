import { ChannelError, type ChannelAdapter, type ChannelConnection } from '../../core/channel.js'
import type { InboundEvent, OutboundMessage } from '../../core/events.js'
import { splitText } from '../../core/text.js'
import { bytesEqual, toHex } from '../../crypto.js'
import type { Logger } from '../../deps.js'
import { OaCallError, type OaMessage, type OaTokenSource, type ZaloOaClient } from './client.js'
import { fetchImageUrl } from '../shared/image.js'
import { parseWebhookBody } from '../shared/parse.js'
import { oaEventSchema, type OaEvent } from './schemas.js'

/** Consultation text: up to 2000 characters (platforms.md §2.2). */
export const ZALO_OA_MAX_TEXT = 2000
/** Buttons one OA message may carry [unsure]; more choices are listed as numbered lines instead. */
export const ZALO_OA_MAX_BUTTONS = 5
/** Longest button title we send; longer labels are cut. */
const MAX_TITLE = 100
/**
 * A press on an `oa.query.show` button comes back as a `user_send_text` whose text is the
 * button's payload, shown in the chat as the person's own message. The payload is therefore the
 * label the person pressed, then the choice id after a `#`: "Đã đọc #ack:412".
 */
const PRESSED = /(?:^|\s)#([a-z_]{1,20}:[A-Za-z0-9:._-]{1,60})$/

export interface ZaloOaAdapterOptions {
  appId: string
  /** The OA Secret Key: webhook signatures are sha256(app_id + raw body + timestamp + key). */
  secretKey: string
  client: ZaloOaClient
  tokens: OaTokenSource
  connection?: ChannelConnection
  ratePerSecond: number
  windowHours: number
  monthlyQuota: number
  /**
   * A signed event whose timestamp is further than this from now, either way, is refused (a
   * replay of captured bytes: the msg_id dedupe forgets ids after a week). Default 15 minutes.
   */
  eventMaxAgeMs?: number
  clock?: () => Date
  logger?: Logger
  /** HTTP client for image downloads, read as a stream (global fetch when left out). */
  mediaFetch?: typeof fetch
  /** Hosts whose image URLs may be http or a private address (MEDIA_FETCH_ALLOW_HOSTS). */
  mediaAllowHosts?: readonly string[]
  /** A host name's addresses (Node's DNS), so that a name pointing at a private address is refused too. */
  mediaResolveHost?: (hostname: string) => Promise<readonly string[]>
}

const encoder = new TextEncoder()

/**
 * The Department's Zalo Official Account ↔ neutral events. Unlike the Zalo bot it has buttons
 * (`oa.query.show`), may write only within the window after the person last wrote, and is
 * authorised by OAuth tokens that the store keeps fresh.
 */
export function createZaloOaAdapter(options: ZaloOaAdapterOptions): ChannelAdapter & { client: ZaloOaClient; tokens: OaTokenSource } {
  const secret = encoder.encode(options.secretKey)
  const maxAgeMs = options.eventMaxAgeMs ?? 15 * 60_000
  const clock = options.clock ?? (() => new Date())

  /** Whether the signed timestamp (ms, as a string) is within the window around now; none is not. */
  function fresh(timestamp: string | undefined): boolean {
    if (!timestamp || !/^\d{1,15}$/.test(timestamp)) return false
    return Math.abs(clock().getTime() - Number(timestamp)) <= maxAgeMs
  }

  /** One send; a refused token is refreshed once and the send tried again. */
  async function sendOne(userId: string, message: OaMessage): Promise<string> {
    let token = await options.tokens.accessToken()
    if (!token) throw new ChannelError('zalo_oa', 'message/cs', 'transient', undefined, 'the OA is not connected (npm run cli -- zalo-oa connect)')
    for (let attempt = 0; ; attempt++) {
      try {
        return (await options.client.sendCs(token, userId, message)).message_id
      } catch (err) {
        if (!(err instanceof OaCallError) || err.oaKind !== 'token' || attempt > 0) throw err
        token = await options.tokens.refreshNow().catch(() => null)
        if (!token) throw err
      }
    }
  }

  return {
    name: 'zalo_oa',
    client: options.client,
    tokens: options.tokens,
    maxTextLength: ZALO_OA_MAX_TEXT,
    connection: options.connection,
    limits: {
      ratePerSecond: options.ratePerSecond,
      perChatIntervalMs: 1000,
      monthlyQuota: options.monthlyQuota,
      windowHours: options.windowHours,
    },
    async verify(req) {
      const header = req.headers.get('x-zevent-signature')
      if (!header) return false
      // The signature covers the exact bytes received: hash them, never a re-serialised body.
      const raw = new Uint8Array(await req.clone().arrayBuffer())
      let fields: { app_id?: unknown; timestamp?: unknown }
      try {
        fields = JSON.parse(new TextDecoder().decode(raw)) ?? {}
      } catch {
        return false
      }
      const part = (v: unknown) => encoder.encode(typeof v === 'string' || typeof v === 'number' ? String(v) : '')
      const appId = part(fields.app_id)
      const timestamp = part(fields.timestamp)
      const input = new Uint8Array(appId.length + raw.length + timestamp.length + secret.length)
      input.set(appId, 0)
      input.set(raw, appId.length)
      input.set(timestamp, appId.length + raw.length)
      input.set(secret, appId.length + raw.length + timestamp.length)
      const want = encoder.encode(toHex(await crypto.subtle.digest('SHA-256', input)))
      const got = encoder.encode(header.trim().replace(/^mac=/i, '').toLowerCase())
      return bytesEqual(got, want)
    },
    parse(body) {
      const event = parseWebhookBody(oaEventSchema, body, { channel: 'zalo_oa', logger: options.logger, onlyObjects: true })
      if (!event) return null
      if (!fresh(event.timestamp)) {
        // Answered 200 like any ignored event: Zalo stops resending it, and nothing is done.
        options.logger?.warn({ channel: 'zalo_oa', event: event.event_name, timestamp: event.timestamp ?? null }, 'webhook event refused: timestamp outside the freshness window')
        return null
      }
      return toEvent(event)
    },
    fetchImage(image, maxBytes) {
      return fetchImageUrl(image.ref, { maxBytes, fetch: options.mediaFetch, allowHosts: options.mediaAllowHosts, resolveHost: options.mediaResolveHost })
    },
    async send(chatId, message) {
      let last = ''
      // The image goes as its link under the text: the OA's image template needs an upload first.
      const body = message.imageUrl ? [message.text, message.imageUrl].filter(Boolean).join('\n\n') : message.text
      const parts = splitText(body, ZALO_OA_MAX_TEXT)
      for (const [i, text] of parts.entries()) {
        const isLast = i === parts.length - 1
        last = await sendOne(chatId, isLast ? render({ ...message, text }) : { text })
      }
      return { messageId: last }
    },
  }
}

/** Text with buttons where there are few enough; numbered lines to type back otherwise. */
export function render(message: OutboundMessage): OaMessage {
  const choices = message.choices ?? []
  if (!choices.length) return { text: message.text }
  if (choices.length > ZALO_OA_MAX_BUTTONS) {
    return { text: `${message.text}\n\n${choices.map((c, i) => `${i + 1}. ${c.label}`).join('\n')}` }
  }
  return {
    text: message.text,
    attachment: {
      type: 'template',
      payload: {
        buttons: choices.map((c) => {
          const title = c.label.length > MAX_TITLE ? `${c.label.slice(0, MAX_TITLE - 1)}…` : c.label
          return { title, type: 'oa.query.show', payload: `${title} #${c.id}` }
        }),
      },
    },
  }
}

/** What people send besides text: answered "please type", like images on the Zalo bot. */
const CONTENT_EVENTS = new Set([
  'user_send_image',
  'user_send_link',
  'user_send_sticker',
  'user_send_gif',
  'user_send_audio',
  'user_send_video',
  'user_send_file',
  'user_send_location',
  'user_send_business_card',
])

function toEvent(e: OaEvent): InboundEvent | null {
  const at = e.timestamp && /^\d{1,15}$/.test(e.timestamp) ? new Date(Number(e.timestamp)) : new Date()
  // Unfollowing is the OA's "blocked"; following lifts it, and makes a follower not linked a subscriber.
  if ((e.event_name === 'follow' || e.event_name === 'unfollow') && e.follower) {
    return {
      kind: e.event_name === 'follow' ? 'unblocked' : 'blocked',
      channel: 'zalo_oa',
      updateId: `${e.event_name}:${e.follower.id}:${e.timestamp ?? ''}`,
      chatId: e.follower.id,
      isPrivate: true,
      sender: { id: e.follower.id },
      text: '',
      ...(e.event_name === 'follow' ? { follow: true } : {}),
      receivedAt: at,
    }
  }
  const isText = e.event_name === 'user_send_text'
  if (!isText && !CONTENT_EVENTS.has(e.event_name)) return null
  if (!e.sender || !e.message) return null
  // An image's text is its caption, when Zalo passes one; other content carries no text we read.
  const imageUrl = e.event_name === 'user_send_image' ? e.message.attachments?.find((a) => (a.type ?? 'image') === 'image' && a.payload?.url)?.payload?.url : undefined
  const text = isText || imageUrl ? (e.message.text ?? '') : ''
  const pressed = isText ? PRESSED.exec(text.trim()) : null
  return {
    kind: 'message',
    channel: 'zalo_oa',
    // Zalo resends an event it thinks was not received: the msg_id is the same, so it is handled once.
    updateId: e.message.msg_id,
    chatId: e.sender.id,
    isPrivate: true,
    sender: { id: e.sender.id },
    text: pressed ? '' : text,
    ...(pressed ? { choiceId: pressed[1] } : {}),
    ...(imageUrl ? { image: { ref: imageUrl } } : {}),
    receivedAt: at,
  }
}
