import type { ChannelName, FetchedImage, InboundEvent, InboundImage, OutboundMessage } from './events.js'

/** Result of one successful send: the platform's id of the (last) message. */
export interface SendResult {
  messageId: string
}

/**
 * The seam every messenger implements. Adapters translate; they hold no domain rules and build no
 * user-visible text.
 */
export interface ChannelAdapter {
  readonly name: ChannelName
  /** Constant-time check of the webhook secret header. */
  verify(req: Request): Promise<boolean>
  /** Platform payload → neutral event; null means "not for us, ignore". */
  parse(body: unknown): InboundEvent | null
  send(chatId: string, message: OutboundMessage): Promise<SendResult>
  /**
   * The platform call that acknowledges a button press from inside the webhook's HTTP response,
   * where the platform allows it (Telegram's answerCallbackQuery). When given, `acknowledge` is not
   * called for the event.
   */
  webhookAck?(event: InboundEvent): Record<string, unknown> | undefined
  /**
   * The webhook reply: the Bot API call that sends `message` to `chatId` from inside a webhook's
   * HTTP response, where the platform runs such calls (Telegram; grammY's "webhook reply");
   * undefined when this message cannot go that way (an image, a text longer than one message).
   */
  webhookReply?(chatId: string, message: OutboundMessage): Record<string, unknown> | undefined
  /**
   * Downloads an image a person sent (`event.image`), refusing more than `maxBytes` and anything the
   * bytes do not show to be an image; null when it cannot be had (gone, too large, not an image).
   */
  fetchImage?(image: InboundImage, maxBytes: number): Promise<FetchedImage | null>
  /** Tell the platform a button press was seen (stops the spinner on Telegram). */
  acknowledge?(event: InboundEvent): Promise<void>
  registerWebhook?(url: string, secret: string): Promise<void>
  /** Deep link that opens a chat with the bot carrying `payload`, where the platform has one. */
  deepLink?(payload: string): string | undefined
  /** Longest text one message may carry, in UTF-16 units. */
  readonly maxTextLength: number
  /** What the platform allows: the delivery layer plans by these. */
  readonly limits?: ChannelLimits
  /** Channels an admin connects by OAuth (the Zalo OA): their tokens, kept fresh by a job. */
  readonly connection?: ChannelConnection
}

/**
 * A channel's rules, declared by its adapter. Figures the platforms do not document are
 * configuration (see README), so a wrong guess is a setting, not a rewrite.
 */
export interface ChannelLimits {
  /** Messages a second the bot may send overall. */
  ratePerSecond: number
  /** Least time between two messages to one chat. */
  perChatIntervalMs: number
  /** Messages the channel may send in a calendar month (0: no known limit). */
  monthlyQuota: number
  /**
   * Hours after the person last wrote during which the bot may write to them (the OA's
   * consultation window); undefined when the bot may write at any time.
   */
  windowHours?: number
  /**
   * Users (distinct chats) the bot's plan allows in all: the Zalo bot's, reported as 50 on the free
   * plan (ZALO_BOT_USER_LIMIT). Undefined or 0: no limit.
   */
  userLimit?: number
}

export interface ConnectionStatus {
  connected: boolean
  accountId?: string | null
  accessExpiresAt?: Date
  refreshExpiresAt?: Date
  /** Why the last refresh failed, while it has not succeeded since. */
  lastError?: string | null
}

export interface ChannelConnection {
  status(): Promise<ConnectionStatus>
  /** A permission URL for the admin to open; its PKCE verifier waits in the database for the callback. */
  startAuthorization(redirectUri: string, now: Date): Promise<string>
  /** The callback: trades the code for tokens and stores them encrypted. Throws ConnectionError. */
  completeAuthorization(input: { code: string; state: string; accountId?: string }, now: Date): Promise<void>
  /** Refreshes the access token when less than `aheadMs` remains; says what happened. */
  refreshIfDue(now: Date, aheadMs: number): Promise<'fresh' | 'refreshed' | 'not_connected'>
}

/** Why an authorization could not be completed: an unknown or used state, or the platform refused the code. */
export class ConnectionError extends Error {
  constructor(readonly reason: 'bad_state' | 'refused', message: string) {
    super(message)
    this.name = 'ConnectionError'
  }
}

export type ChannelErrorKind =
  /** The person blocked the bot, left, or never started it: do not retry. */
  | 'blocked'
  /** Too many requests: retry after `retryAfter` seconds. */
  | 'rate_limited'
  /** Network failure or 5xx: retry with backoff. */
  | 'transient'
  /** Our request was wrong (400, bad token): retrying will not help. */
  | 'permanent'
  /** The person has not written within the channel's window (the OA's 7 days): another channel may take it. */
  | 'window_closed'
  /** The channel's monthly quota is spent: nothing more goes out on it until the quota resets. */
  | 'quota'

/** Thrown by every channel client (Telegram, Zalo bot, Zalo OA) so each failed call names what failed and how to react. */
export class ChannelError extends Error {
  constructor(
    readonly channel: ChannelName,
    readonly method: string,
    readonly kind: ChannelErrorKind,
    readonly code: number | undefined,
    description: string,
    readonly retryAfter?: number,
  ) {
    super(`${channel}.${method} failed (${code ?? 'network'}): ${description}`)
    this.name = 'ChannelError'
  }

  /** What the logs show of it (`errorDetails` in src/log.ts): the message names the method, never the URL. */
  logDetails() {
    return { name: this.name, message: this.message, kind: this.kind, status: this.code, method: this.method }
  }
}

/**
 * A network failure as the logs and the delivery's `last_error` show it: the error's name and
 * system code (`network: Error ECONNREFUSED`), from it or its cause. Never its message, which can
 * hold the request URL, and so a bot token.
 */
export function describeNetworkFailure(err: unknown): string {
  const e = err as { name?: unknown; code?: unknown; cause?: { name?: unknown; code?: unknown } } | undefined
  const name = typeof e?.name === 'string' ? e.name : 'error'
  const codeOf = (x: unknown) => (typeof x === 'string' && /^[A-Z0-9_]{2,40}$/.test(x) ? x : undefined)
  const code = codeOf(e?.code) ?? codeOf(e?.cause?.code)
  return `network: ${name}${code ? ` ${code}` : ''}`
}

export function classifyHttpCode(code: number | undefined): ChannelErrorKind {
  if (code === undefined) return 'transient'
  if (code === 429) return 'rate_limited'
  if (code === 403) return 'blocked'
  if (code >= 500 || code === 408) return 'transient'
  return 'permanent'
}

export type Channels = Partial<Record<ChannelName, ChannelAdapter>>

/**
 * What is logged about an authenticated update that failed its adapter's schema: where it was
 * wrong, never what it said (it may carry a person's words, name or phone number).
 */
export function malformedUpdate(
  channel: ChannelName,
  body: unknown,
  error: { issues: readonly { path: readonly PropertyKey[]; code: string }[] },
) {
  const record = body !== null && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>) : {}
  const id = record.update_id ?? (record.message as Record<string, unknown> | undefined)?.message_id
  return {
    channel,
    ...(typeof id === 'number' || (typeof id === 'string' && id.length <= 64) ? { updateId: String(id) } : {}),
    bodyType: Array.isArray(body) ? 'array' : body === null ? 'null' : typeof body,
    problems: error.issues.slice(0, 5).map((i) => `${i.path.map(String).join('.') || '(body)'}: ${i.code}`),
  }
}
