import { Api, GrammyError, HttpError, InlineKeyboard } from 'grammy'
import { ChannelError, classifyHttpCode, describeNetworkFailure, type ChannelAdapter } from '../../core/channel.js'
import type { InboundEvent, InboundImage, OutboundMessage } from '../../core/events.js'
import { splitText, TELEGRAM_MAX_TEXT } from '../../core/text.js'
import { secretChecker } from '../../crypto.js'
import type { Logger } from '../../deps.js'
import { fetchImageUrl } from '../shared/image.js'
import { parseWebhookBody } from '../shared/parse.js'
import { telegramUpdateSchema, type TelegramMessage, type TelegramUpdate, type TelegramUser } from './schemas.js'

/** https://core.telegram.org/bots/api#sendmessage: 1-4096 characters after entities parsing. */
export { TELEGRAM_MAX_TEXT }
/** https://core.telegram.org/bots/api#sendphoto: captions hold at most 1024 characters. */
const TELEGRAM_MAX_CAPTION = 1024
/** https://core.telegram.org/bots/api#inlinekeyboardbutton: callback_data is 1-64 bytes. */
const MAX_CALLBACK_BYTES = 64

export interface TelegramAdapterOptions {
  token: string
  apiRoot: string
  webhookSecret: string | undefined
  username?: string
  /** HTTP client for Bot API calls (the Node entry passes one on node:http); grammY's default otherwise. */
  fetch?: typeof fetch
  /** Longest wait for one Bot API call (grammY's default is 500 s; ours 10 s). */
  timeoutSeconds?: number
  /** Where a malformed update is reported (once, by the paths that failed, never its text). */
  logger?: Logger
  /** HTTP client for image downloads, which are read as a stream (global fetch when left out). */
  mediaFetch?: typeof fetch
}

/** The largest image Loa takes from a chat (issue 23): the photo size picked is the largest within it. */
export const IMAGE_MAX_BYTES = 5 * 1024 * 1024

/**
 * Telegram ↔ neutral events. grammY's Api does the HTTP; updates are read here, from the plain
 * Bot API JSON, so the webhook route can apply the same secret/size/dedupe rules to both channels.
 */
export function createTelegramAdapter(options: TelegramAdapterOptions): ChannelAdapter & { api: Api } {
  const api = new Api(options.token, {
    apiRoot: options.apiRoot,
    fetch: withStatusInErrors(options.fetch ?? ((input, init) => fetch(input, init))),
    timeoutSeconds: options.timeoutSeconds ?? 10,
  })
  const checkSecret = options.webhookSecret ? secretChecker(options.webhookSecret) : undefined
  const call = async <T>(method: string, fn: () => Promise<T>): Promise<T> => {
    try {
      return await fn()
    } catch (err) {
      throw toChannelError(method, err)
    }
  }

  return {
    name: 'telegram',
    api,
    maxTextLength: TELEGRAM_MAX_TEXT,
    async verify(req) {
      return checkSecret ? checkSecret(req.headers.get('x-telegram-bot-api-secret-token')) : false
    },
    parse(body) {
      const update = parseWebhookBody(telegramUpdateSchema, body, { channel: 'telegram', logger: options.logger })
      return update ? toEvent(update) : null
    },
    async send(chatId, message) {
      const keyboard = renderKeyboard(message)
      const parts = splitText(message.text, TELEGRAM_MAX_TEXT)
      let messageId = ''
      if (message.imageUrl) {
        const captionFits = parts.length === 1 && parts[0]!.length <= TELEGRAM_MAX_CAPTION
        const sent = await call('sendPhoto', () =>
          api.sendPhoto(chatId, message.imageUrl!, {
            ...(captionFits ? { caption: parts[0] } : {}),
            ...(captionFits && keyboard ? { reply_markup: keyboard } : {}),
          }),
        )
        messageId = String(sent.message_id)
        if (captionFits) return { messageId }
      }
      for (const [i, part] of parts.entries()) {
        const last = i === parts.length - 1
        const sent = await call('sendMessage', () =>
          api.sendMessage(chatId, part, {
            link_preview_options: { is_disabled: false },
            ...(last && keyboard ? { reply_markup: keyboard } : {}),
          }),
        )
        messageId = String(sent.message_id)
      }
      return { messageId }
    },
    webhookReply(chatId, message) {
      if (message.imageUrl || message.text.length === 0 || message.text.length > TELEGRAM_MAX_TEXT) return undefined
      const keyboard = renderKeyboard(message)
      return {
        method: 'sendMessage',
        chat_id: chatId,
        text: message.text,
        link_preview_options: { is_disabled: false },
        ...(keyboard ? { reply_markup: keyboard } : {}),
      }
    },
    webhookAck(event) {
      // https://core.telegram.org/bots/api#making-requests-when-getting-updates: the button press is
      // answered in the webhook's own response, sparing one API call per press.
      return event.callbackId ? { method: 'answerCallbackQuery', callback_query_id: event.callbackId } : undefined
    },
    async fetchImage(image, maxBytes) {
      // https://core.telegram.org/bots/api#getfile: a file_path valid for an hour, then the bytes
      // from <root>/file/bot<token>/<path> (the configured API root: trusted, unlike a webhook's URL).
      if (image.size !== undefined && image.size > maxBytes) return null
      let file: { file_path?: string; file_size?: number }
      try {
        file = await api.getFile(image.ref)
      } catch (err) {
        // Gone or unknown file: no image. The error names the method only, never the token.
        options.logger?.warn(toChannelError('getFile', err).logDetails(), 'telegram image could not be had')
        return null
      }
      if (!file.file_path || (file.file_size !== undefined && file.file_size > maxBytes)) return null
      const path = file.file_path.split('/').map(encodeURIComponent).join('/')
      return fetchImageUrl(`${options.apiRoot.replace(/\/+$/, '')}/file/bot${options.token}/${path}`, {
        maxBytes,
        fetch: options.mediaFetch,
        trusted: true,
      })
    },
    async acknowledge(event) {
      if (event.callbackId) await call('answerCallbackQuery', () => api.answerCallbackQuery(event.callbackId!))
    },
    async registerWebhook(url, secret) {
      await call('setWebhook', () =>
        api.setWebhook(url, {
          secret_token: secret,
          allowed_updates: ['message', 'callback_query', 'my_chat_member'],
          // A quiz burst is thousands of answers at once; Telegram's default is 40 parallel connections.
          max_connections: 100,
        }),
      )
    },
    deepLink(payload) {
      return options.username ? `https://t.me/${options.username}?start=${encodeURIComponent(payload)}` : undefined
    },
  }
}

function renderKeyboard(message: OutboundMessage): InlineKeyboard | undefined {
  if (!message.choices?.length) return undefined
  const keyboard = new InlineKeyboard()
  const short = message.choices.every((c) => c.label.length <= 12)
  message.choices.forEach((c, i) => {
    if (new TextEncoder().encode(c.id).length > MAX_CALLBACK_BYTES) {
      throw new Error(`choice id "${c.id}" is longer than Telegram's 64-byte callback_data`)
    }
    keyboard.text(c.label, c.id)
    // Short labels (Có / Không, A / B) sit side by side; long ones get a row each.
    if (!short || i % 2 === 1) keyboard.row()
  })
  return keyboard
}

function toEvent(update: TelegramUpdate): InboundEvent | null {
  const updateId = String(update.update_id)
  if (update.message) {
    const m = update.message
    if (!m.from || m.from.is_bot) return null
    return {
      kind: 'message',
      channel: 'telegram',
      updateId,
      chatId: String(m.chat.id),
      isPrivate: m.chat.type === 'private',
      sender: senderOf(m.from),
      text: m.text ?? m.caption ?? '',
      ...imageOf(m),
      receivedAt: new Date(m.date * 1000),
    }
  }
  if (update.callback_query) {
    const q = update.callback_query
    if (!q.message || !q.data) return null
    return {
      kind: 'message',
      channel: 'telegram',
      updateId,
      chatId: String(q.message.chat.id),
      isPrivate: q.message.chat.type === 'private',
      sender: senderOf(q.from),
      text: '',
      choiceId: q.data,
      callbackId: q.id,
      receivedAt: new Date(),
    }
  }
  if (update.my_chat_member && update.my_chat_member.chat.type === 'private') {
    const status = update.my_chat_member.new_chat_member.status
    const kind = status === 'kicked' || status === 'left' ? 'blocked' : status === 'member' ? 'unblocked' : null
    if (!kind) return null
    return {
      kind,
      channel: 'telegram',
      updateId,
      chatId: String(update.my_chat_member.chat.id),
      isPrivate: true,
      sender: senderOf(update.my_chat_member.from),
      text: '',
      receivedAt: new Date(update.my_chat_member.date * 1000),
    }
  }
  return null
}

/**
 * The image in a message: of a photo's sizes the largest within IMAGE_MAX_BYTES (the largest of all
 * when none says it is), or a file sent as a document whose type is an image.
 */
function imageOf(m: TelegramMessage): { image?: InboundImage } {
  const sizes = m.photo ?? []
  if (sizes.length > 0) {
    const fitting = sizes.filter((s) => s.file_size !== undefined && s.file_size <= IMAGE_MAX_BYTES)
    const pick = fitting.reduce<(typeof sizes)[number] | undefined>((a, s) => (!a || s.file_size! > a.file_size! ? s : a), undefined) ?? sizes.at(-1)!
    return { image: { ref: pick.file_id, ...(pick.file_size !== undefined ? { size: pick.file_size } : {}) } }
  }
  const doc = m.document
  if (doc && /^image\//i.test(doc.mime_type ?? '')) {
    return { image: { ref: doc.file_id, ...(doc.file_size !== undefined ? { size: doc.file_size } : {}) } }
  }
  return {}
}

function senderOf(from: TelegramUser) {
  return {
    id: String(from.id),
    name: [from.first_name, from.last_name].filter(Boolean).join(' '),
    languageHint: from.language_code,
  }
}

function toChannelError(method: string, err: unknown): ChannelError {
  if (err instanceof GrammyError) {
    const retryAfter = err.parameters.retry_after
    const kind = classifyHttpCode(err.error_code)
    return new ChannelError('telegram', method, kind, err.error_code, err.description, retryAfter)
  }
  if (err instanceof HttpError) {
    const cause = err.error as Error | undefined
    const timedOut = cause?.name === 'AbortError' || /timed out|aborted/i.test(String(cause?.message ?? err.message))
    return new ChannelError('telegram', method, 'transient', undefined, timedOut ? 'no answer in time' : describeNetworkFailure(cause))
  }
  return new ChannelError('telegram', method, 'transient', undefined, String(err))
}

/**
 * A proxy or load balancer in front of the Bot API answers errors as HTML, which grammY can only
 * report as a network failure. Such answers are turned into a Bot API error envelope here, so the
 * failure is recorded with its HTTP status (a 502 is retried, a 404 is not).
 */
function withStatusInErrors(inner: typeof fetch): typeof fetch {
  return (async (input: RequestInfo | URL, init?: RequestInit) => {
    const res = await inner(input, init)
    if (res.ok || (res.headers.get('content-type') ?? '').includes('json')) return res
    const text = (await res.text()).replace(/\s+/g, ' ').slice(0, 120)
    const body = { ok: false, error_code: res.status, description: `HTTP ${res.status}, not JSON${text ? `: ${text}` : ''}` }
    return new Response(JSON.stringify(body), { status: res.status, headers: { 'content-type': 'application/json' } })
  }) as typeof fetch
}
