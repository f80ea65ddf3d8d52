import { z } from 'zod'
import { parseTrustProxy, type TrustProxy } from './trust-proxy.js'
import { parseWorkingHours, type WorkingHours } from './time.js'

/**
 * Every setting Loa reads, parsed once into one typed object. `parseConfig` is pure so that the
 * Node entry can pass `process.env` and the Worker its bindings.
 */
const emptyToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v)
const optionalString = z.preprocess(emptyToUndefined, z.string().optional())
const secretSchema = z.preprocess(
  emptyToUndefined,
  z
    .string()
    .regex(/^[A-Za-z0-9_-]{8,256}$/, '8–256 characters from A-Z a-z 0-9 _ - (Telegram and Zalo accept only these)')
    .optional(),
)
const urlSchema = (fallback: string) =>
  z
    .preprocess(emptyToUndefined, z.url({ protocol: /^https?$/, error: 'an http:// or https:// URL' }).default(fallback))
    .transform((u) => u.replace(/\/+$/, ''))

/**
 * The admin token must carry at least 128 bits: 32 or more characters of the bearer-token alphabet
 * (RFC 6750: A-Z a-z 0-9 - . _ ~ + /, then any `=`). 32 random hex characters are exactly 128 bits;
 * any larger alphabet gives more. `openssl rand -hex 32` makes a good one.
 */
export const ADMIN_TOKEN_MIN_LENGTH = 32
const adminTokenSchema = z
  .string()
  .regex(/^[A-Za-z0-9._~+/-]+=*$/, 'only A-Z a-z 0-9 - . _ ~ + / (then any =), as a bearer token may hold')
  .min(ADMIN_TOKEN_MIN_LENGTH, `at least ${ADMIN_TOKEN_MIN_LENGTH} characters (128 bits, e.g. openssl rand -hex 32)`)
  .max(1024, 'at most 1024 characters')

const positiveNumber = (fallback: number) =>
  z.preprocess(emptyToUndefined, z.coerce.number().positive().default(fallback))

export const configSchema = z.object({
  PORT: z.preprocess(emptyToUndefined, z.coerce.number().int().min(0).max(65535).default(8787)),
  DATABASE_PATH: z.preprocess(emptyToUndefined, z.string().default('./data/loa.db')),
  ADMIN_TOKEN: z.preprocess(emptyToUndefined, adminTokenSchema.optional()),
  // The platforms deliver webhooks only over HTTPS, and the secrets ride in their headers.
  PUBLIC_URL: z.preprocess(emptyToUndefined, z.url({ protocol: /^https$/, error: 'an https:// URL (the platforms send webhooks only over HTTPS)' }).optional()),
  BOT_MODE: z.preprocess(emptyToUndefined, z.enum(['webhook', 'polling']).default('webhook')),
  APP_TIMEZONE: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .default('Asia/Ho_Chi_Minh')
      .refine((tz) => isTimeZone(tz), 'an IANA time zone such as Asia/Ho_Chi_Minh'),
  ),
  LOG_LEVEL: z.preprocess(
    emptyToUndefined,
    z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  ),
  INVITE_TTL_DAYS: positiveNumber(30),
  TELEGRAM_BOT_TOKEN: optionalString,
  TELEGRAM_BOT_USERNAME: optionalString,
  TELEGRAM_WEBHOOK_SECRET: secretSchema,
  TELEGRAM_API_ROOT: urlSchema('https://api.telegram.org'),
  TELEGRAM_RATE_PER_SECOND: positiveNumber(25),
  ZALO_BOT_TOKEN: optionalString,
  ZALO_WEBHOOK_SECRET: secretSchema,
  ZALO_API_ROOT: urlSchema('https://bot-api.zaloplatforms.com'),
  /** Where a teacher opens a chat with the Zalo bot (the link Zalo shows for it), printed with a QR on invite cards. */
  ZALO_BOT_LINK: z.preprocess(emptyToUndefined, z.url({ protocol: /^https$/, error: 'an https:// URL' }).optional()),
  ZALO_RATE_PER_SECOND: positiveNumber(5),
  ZALO_OA_APP_ID: z.preprocess(emptyToUndefined, z.string().regex(/^\d{1,30}$/, 'the numeric App ID from developers.zalo.me').optional()),
  ZALO_OA_APP_SECRET: optionalString,
  /** The OA Secret Key (per linked OA in the developer console): signs webhooks. Not the App Secret. */
  ZALO_OA_SECRET_KEY: optionalString,
  ZALO_OA_API_ROOT: urlSchema('https://openapi.zalo.me'),
  ZALO_OA_OAUTH_ROOT: urlSchema('https://oauth.zaloapp.com'),
  ZALO_OA_RATE_PER_SECOND: positiveNumber(5),
  /** How long after a person last wrote the OA may send them consultation messages (7 days per the docs, unsure). */
  ZALO_OA_WINDOW_HOURS: positiveNumber(168),
  /** A webhook event whose signed timestamp is further than this from now is refused (a replay): Zalo retries within about an hour. */
  ZALO_OA_EVENT_MAX_AGE_MINUTES: z.preprocess(emptyToUndefined, z.coerce.number().int('a whole number of minutes').min(1).max(1440).default(15)),
  /** Consultation messages the OA may send a month (0: no limit known); the figure depends on the OA's package. */
  ZALO_OA_MONTHLY_QUOTA: z.preprocess(emptyToUndefined, z.coerce.number().int().min(0).default(0)),
  /** Outbound messages the Zalo bot may send a month (3,000 reported for the free plan; 0: no limit known). */
  ZALO_MONTHLY_QUOTA: z.preprocess(emptyToUndefined, z.coerce.number().int().min(0).default(0)),
  /** Users (distinct chats) the Zalo bot's plan allows: 50 reported for the free plan; 0: no limit. */
  ZALO_BOT_USER_LIMIT: z.preprocess(emptyToUndefined, z.coerce.number().int().min(0).default(50)),
  /**
   * 32 bytes, base64 or 64 hex characters: encrypts the OA's tokens at rest (AES-256-GCM), and seals
   * invite codes (a key derived from it) so a printed sheet can show a still valid code again.
   */
  TOKEN_ENCRYPTION_KEY: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .refine((k) => decodeKey(k) !== null, '32 bytes as 64 hex characters or base64 (openssl rand -base64 32)')
      .optional(),
  ),
  REMINDER_CRON: z.preprocess(emptyToUndefined, z.string().default('0 8 * * *')),
  /** A report reminder whose day is a day off: sent on the working day before it, after it, or not at all. */
  REMINDER_ON_DAY_OFF: z.preprocess(emptyToUndefined, z.enum(['previous', 'next', 'skip']).default('previous')),
  /** Working hours on working days, in APP_TIMEZONE: the working-time clock (src/domain/calendar/working.ts). */
  WORKING_HOURS: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .default('07:00-11:30,13:30-17:00')
      .refine((v) => parseWorkingHours(v) !== null, 'ascending hh:mm-hh:mm spans separated by commas, e.g. 07:00-11:30,13:30-17:00'),
  ),
  PLATFORM_TIMEOUT_SECONDS: positiveNumber(10),
  DELIVERY_HORIZON_HOURS: positiveNumber(24),
  WORKER_SUBREQUESTS: positiveNumber(1000),
  CHAT_MESSAGES_PER_MINUTE: positiveNumber(20),
  /** The share of a question's key words an FAQ entry marked "tự động" must hold to answer it at once (src/domain/library/auto-answer.ts). */
  AUTO_ANSWER_MIN_COVERAGE: z.preprocess(emptyToUndefined, z.coerce.number().gt(0).max(1).default(0.75)),
  /** Personal texts (conversations, message payloads, answered questions) are kept this many days. */
  /**
   * Key of the personal links the bots send and of the cookie that remembers a phone on the public
   * pages (HMAC-SHA256). Unset: a random key made once and kept in the database's settings table.
   */
  WEB_LINK_SECRET: z.preprocess(
    emptyToUndefined,
    z.string().regex(/^[A-Za-z0-9_-]{32,256}$/, '32–256 characters from A-Z a-z 0-9 _ - (e.g. openssl rand -hex 32)').optional(),
  ),
  RETENTION_DAYS: z.preprocess(emptyToUndefined, z.coerce.number().int('a whole number of days').min(1).max(36_500).default(365)),
  /** A subscriber (not staff) is erased this many days after their last message. */
  SUBSCRIBER_RETENTION_DAYS: z.preprocess(emptyToUndefined, z.coerce.number().int('a whole number of days').min(1).max(36_500).default(365)),
  /** An answer to a subscriber on the OA waits this long for the window to reopen (their next message). */
  ANSWER_HOLD_DAYS: z.preprocess(emptyToUndefined, z.coerce.number().int('a whole number of days').min(1).max(365).default(30)),
  /** The target for answering a question, in working days: `GET /api/questions/stats` gives the share answered within it. */
  QUESTION_TARGET_WORKING_DAYS: z.preprocess(emptyToUndefined, z.coerce.number().int('a whole number of days').min(1).max(60).default(2)),
  MISINFO_ACK_WORKING_HOURS: z.preprocess(emptyToUndefined, z.coerce.number().min(0.5).max(200).default(4)),
  MISINFO_SIMILARITY: z.preprocess(emptyToUndefined, z.coerce.number().min(0.1).max(1).default(0.6)),
  /**
   * Whose word the server takes for the client's address and scheme: unset, nobody (the socket's
   * address); `cloudflare` (CF-Connecting-IP; implied on Workers); or the reverse proxies' addresses
   * and networks, comma-separated (X-Forwarded-For, X-Forwarded-Proto).
   */
  TRUST_PROXY: optionalString,
  /** "Reached regularly" (thường xuyên): reached in each calendar month, or each quarter, of the period. */
  REACH_RHYTHM: z.preprocess(emptyToUndefined, z.enum(['monthly', 'quarterly'], 'monthly or quarterly').default('monthly')),
  // ---- phone pages: links and hosts ----
  /** Days a personal link or a remembered phone works after it was issued. */
  WEB_LINK_TTL_DAYS: z.preprocess(emptyToUndefined, z.coerce.number().int('a whole number of days').min(1).max(3650).default(90)),
  /**
   * Without PUBLIC_URL: the hosts (host or host:port, comma-separated) whose Host header may make
   * QR codes and public links. Unset: localhost, 127.0.0.1 and [::1] on any port (development).
   */
  PUBLIC_HOSTS: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .max(2000)
      .transform((s) => s.split(',').map((h) => h.trim().toLowerCase()).filter(Boolean))
      .refine((hs) => hs.length > 0 && hs.every((h) => /^(\[[0-9a-f:]+\]|[a-z0-9.-]{1,253})(:\d{1,5})?$/.test(h)), 'host or host:port names, comma-separated (e.g. loa.local:8787)')
      .optional(),
  ),
  /**
   * The public results' embeddable block (/ket-qua/<year>/nhung): the origins (scheme://host[:port],
   * comma-separated; `https://*.example.vn` for subdomains) whose pages may frame it. Unset: none.
   */
  EMBED_ORIGINS: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .max(2000)
      .transform((s) => s.split(',').map((o) => o.trim().replace(/\/+$/, '')).filter(Boolean))
      .refine((os) => os.every((o) => /^https?:\/\/(\*\.)?[A-Za-z0-9.-]{1,253}(:\d{1,5})?$/.test(o)), 'origins (https://host or https://host:port), comma-separated (e.g. https://gddt.cantho.gov.vn)')
      .optional(),
  ),
  /** Node: where images people send are kept (default: `media` beside the database). */
  MEDIA_DIR: optionalString,
  /**
   * Hosts (host or host:port, comma-separated) whose image URLs may be fetched over http and on a
   * private address: a local test server. Unset: images only over https from public addresses.
   */
  MEDIA_FETCH_ALLOW_HOSTS: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .max(2000)
      .transform((s) => s.split(',').map((h) => h.trim().toLowerCase()).filter(Boolean))
      .refine((hs) => hs.every((h) => /^(\[[0-9a-f:]+\]|[a-z0-9.-]{1,253})(:\d{1,5})?$/.test(h)), 'host or host:port names, comma-separated (e.g. 127.0.0.1:9000)')
      .optional(),
  ),
})

export type RawConfig = z.infer<typeof configSchema>

export interface ChannelConfig {
  token: string
  /** Secret the platform echoes in a header on every webhook delivery. */
  webhookSecret: string | undefined
  apiRoot: string
  /** Messages per second the outbox may send on this channel overall. */
  ratePerSecond: number
}

/** The Department's Zalo Official Account (OA API v3); on when its app id, secrets and key are set. */
export interface ZaloOaConfig {
  appId: string
  appSecret: string
  /** Webhook signatures: sha256(app_id + body + timestamp + secretKey). */
  secretKey: string
  apiRoot: string
  oauthRoot: string
  ratePerSecond: number
  windowHours: number
  monthlyQuota: number
  /** How far (either way) from now an event's signed timestamp may be before it is refused as a replay. */
  eventMaxAgeMinutes: number
  /** AES-256-GCM key for the tokens at rest. */
  encryptionKey: Uint8Array
}

/** REMINDER_ON_DAY_OFF. */
export type ReminderOnDayOff = 'previous' | 'next' | 'skip'

export interface Config {
  port: number
  databasePath: string
  adminToken: string | undefined
  publicUrl: string | undefined
  botMode: 'webhook' | 'polling'
  /** BOT_MODE was set in the environment: the console may not switch it (on Node, polling can be chosen there otherwise). */
  botModeFromEnv: boolean
  timezone: string
  logLevel: RawConfig['LOG_LEVEL']
  inviteTtlDays: number
  /** Secret the invite codes are sealed with (AES-GCM) so that a sheet can reprint a valid code; none: each sheet mints fresh codes. */
  tokenEncryptionKey: string | undefined
  reminderCron: string
  reminderOnDayOff: ReminderOnDayOff
  /** WORKING_HOURS as minutes after local midnight. */
  workingHours: WorkingHours
  /** Longest wait for one platform call before it counts as a transient failure. */
  platformTimeoutSeconds: number
  /** How long transient failures of a brief or reply are retried (reminders: their day; invitations: the quiz). */
  deliveryHorizonHours: number
  /** Workers only: the plan's subrequests an invocation (50 free, 1,000 paid); the minute's drain is sized by it. */
  workerSubrequests: number
  /** Past this many messages a minute, a chat's messages are still handled but answered once with "slow down". */
  chatMessagesPerMinute: number
  /** AUTO_ANSWER_MIN_COVERAGE: 0–1, measured on bench/suggest.ts. */
  autoAnswerMinCoverage: number
  retentionDays: number
  subscriberRetentionDays: number
  answerHoldDays: number
  questionTargetWorkingDays: number
  /** Working hours a liaison has to acknowledge a routed claim before the reminder (then the admins). */
  misinfoAckWorkingHours: number
  /** Jaccard similarity of word bigrams at which two reports' texts join one claim (0–1). */
  misinfoSimilarity: number
  /** HMAC key of personal links and the page's remembered-person cookie; undefined: one kept in settings. */
  webLinkSecret: string | undefined
  /** How often a person must be reached to count as "reached regularly" in the plan's targets. */
  reachRhythm: 'monthly' | 'quarterly'
  /** Phone pages: how long personal links and remembered phones work; the hosts allowed without PUBLIC_URL. */
  webLinkTtlDays: number
  publicHosts: string[]
  /** The origins whose pages may frame the public results' block (EMBED_ORIGINS); empty: none. */
  embedOrigins: string[]
  /** Node: the directory images people send are kept in (MEDIA_DIR); undefined: `media` beside the database. */
  mediaDir: string | undefined
  /** Hosts whose image URLs may be http or a private address (MEDIA_FETCH_ALLOW_HOSTS); empty: none. */
  mediaFetchAllowHosts: string[]
  /** Whose word is taken for the client's address and https (TRUST_PROXY; src/http/client-ip.ts). */
  trustProxy: TrustProxy
  telegram: (ChannelConfig & { username: string | undefined }) | null
  zalo: (ChannelConfig & { monthlyQuota: number; userLimit: number; link: string | undefined }) | null
  zaloOa: ZaloOaConfig | null
  /** What a channel turned on in the console runs with (API roots, rates): the environment's, as for a configured one. */
  platforms: {
    telegram: Omit<ChannelConfig, 'token' | 'webhookSecret'>
    zalo: Omit<ChannelConfig, 'token' | 'webhookSecret'> & { monthlyQuota: number; userLimit: number; link: string | undefined }
    zaloOa: Omit<ZaloOaConfig, 'appId' | 'appSecret' | 'secretKey' | 'encryptionKey'>
  }
}

export class ConfigError extends Error {
  constructor(readonly issues: string[]) {
    super(`Invalid configuration:\n${issues.map((i) => `  - ${i}`).join('\n')}`)
    this.name = 'ConfigError'
  }
}

function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz })
    return true
  } catch {
    return false
  }
}

export interface ConfigChecks {
  /**
   * The scheduler's own check of REMINDER_CRON (node-cron's, given by the Node entry and the CLI):
   * a description of what is wrong, or undefined. Workers schedule with Cron Triggers instead.
   */
  cron?: (expression: string) => string | undefined
}

/** Parses the environment; throws one ConfigError naming every bad or missing value. */
export function parseConfig(env: Record<string, string | undefined>, checks: ConfigChecks = {}): Config {
  const parsed = configSchema.safeParse(env)
  const issues: string[] = []
  if (!parsed.success) {
    for (const issue of parsed.error.issues) issues.push(`${issue.path.join('.')}: ${issue.message}`)
  }
  const raw = parsed.success ? parsed.data : undefined
  issues.push(...crossFieldIssues(env, raw, checks))
  const trustProxy = parseTrustProxy(raw?.TRUST_PROXY)
  if (trustProxy.invalid.length > 0)
    issues.push(
      `TRUST_PROXY: ${trustProxy.invalid.map((e) => JSON.stringify(e)).join(', ')} is not an IP address or network (e.g. "cloudflare", or "127.0.0.1, 10.0.0.0/8, fd00::/8")`,
    )
  if (issues.length > 0 || !raw) throw new ConfigError(issues)
  return toConfig(env, raw, trustProxy.trust)
}

/** What no single field's schema can see: the cron expression, webhook secrets, and the OA's four values together. */
function crossFieldIssues(env: Record<string, string | undefined>, raw: RawConfig | undefined, checks: ConfigChecks): string[] {
  const issues: string[] = []
  const cron = emptyToUndefined(env.REMINDER_CRON)
  const cronProblem = typeof cron === 'string' ? checks.cron?.(cron) : undefined
  if (cronProblem) issues.push(`REMINDER_CRON: ${cronProblem} (five fields, e.g. "0 8 * * *" for 08:00 every day)`)
  // A webhook without a secret would accept forged updates from anyone who knows the URL.
  if (raw?.BOT_MODE === 'webhook') {
    if (raw.TELEGRAM_BOT_TOKEN && !raw.TELEGRAM_WEBHOOK_SECRET)
      issues.push('TELEGRAM_WEBHOOK_SECRET: required with TELEGRAM_BOT_TOKEN in webhook mode')
    if (raw.ZALO_BOT_TOKEN && !raw.ZALO_WEBHOOK_SECRET)
      issues.push('ZALO_WEBHOOK_SECRET: required with ZALO_BOT_TOKEN in webhook mode')
  }
  if (raw) {
    const oa = ['ZALO_OA_APP_ID', 'ZALO_OA_APP_SECRET', 'ZALO_OA_SECRET_KEY', 'TOKEN_ENCRYPTION_KEY'] as const
    const set = oa.filter((k) => raw[k])
    // Half a configuration would leave webhooks unsigned or tokens in clear: all four, or none.
    // TOKEN_ENCRYPTION_KEY alone is whole: it keeps the channels set in the console (/admin/channels).
    if (set.some((k) => k !== 'TOKEN_ENCRYPTION_KEY') && set.length < oa.length) {
      for (const k of oa) if (!raw[k]) issues.push(`${k}: required with ${set.join(', ')} (the Zalo OA channel needs all four)`)
    }
  }
  return issues
}

/** Each platform's settings, whether or not its bot is configured (the console may turn it on). */
function platformsOf(raw: RawConfig) {
  return {
    telegram: { apiRoot: raw.TELEGRAM_API_ROOT, ratePerSecond: raw.TELEGRAM_RATE_PER_SECOND },
    zalo: { apiRoot: raw.ZALO_API_ROOT, ratePerSecond: raw.ZALO_RATE_PER_SECOND, monthlyQuota: raw.ZALO_MONTHLY_QUOTA, userLimit: raw.ZALO_BOT_USER_LIMIT, link: raw.ZALO_BOT_LINK },
    zaloOa: {
      apiRoot: raw.ZALO_OA_API_ROOT,
      oauthRoot: raw.ZALO_OA_OAUTH_ROOT,
      ratePerSecond: raw.ZALO_OA_RATE_PER_SECOND,
      windowHours: raw.ZALO_OA_WINDOW_HOURS,
      monthlyQuota: raw.ZALO_OA_MONTHLY_QUOTA,
      eventMaxAgeMinutes: raw.ZALO_OA_EVENT_MAX_AGE_MINUTES,
    },
  }
}

/** The channels the environment configures (each null without its credentials), and every platform's settings. */
function channelsOf(raw: RawConfig): Pick<Config, 'telegram' | 'zalo' | 'zaloOa' | 'platforms'> {
  const platforms = platformsOf(raw)
  return {
    telegram: raw.TELEGRAM_BOT_TOKEN
      ? { token: raw.TELEGRAM_BOT_TOKEN, username: raw.TELEGRAM_BOT_USERNAME, webhookSecret: raw.TELEGRAM_WEBHOOK_SECRET, ...platforms.telegram }
      : null,
    zalo: raw.ZALO_BOT_TOKEN ? { token: raw.ZALO_BOT_TOKEN, webhookSecret: raw.ZALO_WEBHOOK_SECRET, ...platforms.zalo } : null,
    zaloOa:
      raw.ZALO_OA_APP_ID && raw.ZALO_OA_APP_SECRET && raw.ZALO_OA_SECRET_KEY && raw.TOKEN_ENCRYPTION_KEY
        ? {
            appId: raw.ZALO_OA_APP_ID,
            appSecret: raw.ZALO_OA_APP_SECRET,
            secretKey: raw.ZALO_OA_SECRET_KEY,
            ...platforms.zaloOa,
            encryptionKey: decodeKey(raw.TOKEN_ENCRYPTION_KEY)!,
          }
        : null,
    platforms,
  }
}

/** The checked environment as the app's Config: defaults filled, each channel present only when configured. */
function toConfig(env: Record<string, string | undefined>, raw: RawConfig, trustProxy: TrustProxy): Config {
  return {
    port: raw.PORT,
    databasePath: raw.DATABASE_PATH,
    adminToken: raw.ADMIN_TOKEN,
    publicUrl: raw.PUBLIC_URL?.replace(/\/+$/, ''),
    botMode: raw.BOT_MODE,
    botModeFromEnv: emptyToUndefined(env.BOT_MODE) !== undefined,
    timezone: raw.APP_TIMEZONE,
    logLevel: raw.LOG_LEVEL,
    inviteTtlDays: raw.INVITE_TTL_DAYS,
    tokenEncryptionKey: raw.TOKEN_ENCRYPTION_KEY,
    reminderCron: raw.REMINDER_CRON,
    reminderOnDayOff: raw.REMINDER_ON_DAY_OFF,
    workingHours: parseWorkingHours(raw.WORKING_HOURS)!,
    platformTimeoutSeconds: raw.PLATFORM_TIMEOUT_SECONDS,
    deliveryHorizonHours: raw.DELIVERY_HORIZON_HOURS,
    workerSubrequests: raw.WORKER_SUBREQUESTS,
    chatMessagesPerMinute: Math.floor(raw.CHAT_MESSAGES_PER_MINUTE),
    autoAnswerMinCoverage: raw.AUTO_ANSWER_MIN_COVERAGE,
    retentionDays: raw.RETENTION_DAYS,
    subscriberRetentionDays: raw.SUBSCRIBER_RETENTION_DAYS,
    answerHoldDays: raw.ANSWER_HOLD_DAYS,
    questionTargetWorkingDays: raw.QUESTION_TARGET_WORKING_DAYS,
    misinfoAckWorkingHours: raw.MISINFO_ACK_WORKING_HOURS,
    misinfoSimilarity: raw.MISINFO_SIMILARITY,
    webLinkSecret: raw.WEB_LINK_SECRET,
    reachRhythm: raw.REACH_RHYTHM,
    webLinkTtlDays: raw.WEB_LINK_TTL_DAYS,
    publicHosts: raw.PUBLIC_HOSTS ?? ['localhost', '127.0.0.1', '[::1]'],
    embedOrigins: raw.EMBED_ORIGINS ?? [],
    mediaDir: raw.MEDIA_DIR,
    mediaFetchAllowHosts: raw.MEDIA_FETCH_ALLOW_HOSTS ?? [],
    trustProxy,
    ...channelsOf(raw),
  }
}

/** A 32-byte key written as 64 hex characters or as base64; null when it is neither. */
export function decodeKey(text: string): Uint8Array | null {
  const t = text.trim()
  if (/^[0-9a-fA-F]{64}$/.test(t)) return Uint8Array.from(t.match(/../g)!.map((h) => parseInt(h, 16)))
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(t)) return null
  try {
    const bin = atob(t.replace(/-/g, '+').replace(/_/g, '/'))
    return bin.length === 32 ? Uint8Array.from(bin, (c) => c.charCodeAt(0)) : null
  } catch {
    return null
  }
}
