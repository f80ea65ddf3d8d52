import { z } from 'zod'
import type { Locale } from '#db/schema/index.js'
import { isMessageKey, translate, type MessageKey, type Params } from './i18n.js'

export type ErrorCode =
  | 'invalid_input'
  | 'unprocessable'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'payload_too_large'
  | 'internal'

const statusOf: Record<ErrorCode, 400 | 401 | 403 | 404 | 409 | 413 | 422 | 500> = {
  invalid_input: 400,
  unprocessable: 422,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  internal: 500,
}

/** A message to show in the reader's language: a catalog key and its placeholders. */
export interface Text {
  key: MessageKey
  params?: Params
}

/**
 * An error the API answers as `{"error":{"code","message","details"}}` with a fitting status. The
 * message is a catalog key, rendered in the request's language; `message` (for logs) is English.
 */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly key: MessageKey,
    readonly params?: Params,
    readonly details?: unknown,
  ) {
    super(translate('en', key, params && localizeParams(params, 'en')))
    this.name = 'AppError'
  }
  get status() {
    return statusOf[this.code]
  }
}

export interface ErrorBody {
  error: { code: ErrorCode; message: string; details?: unknown }
}

export function errorBody(locale: Locale, code: ErrorCode, key: MessageKey, params?: Params, details?: unknown): ErrorBody {
  const message = translate(locale, key, params && localizeParams(params, locale))
  return { error: details === undefined ? { code, message } : { code, message, details: localizeDetails(details, locale) } }
}

/** A parameter that is itself a catalog key ('api.broadcastStatus.sent') is shown translated. */
function localizeParams(params: Params, locale: Locale): Params {
  return Object.fromEntries(Object.entries(params).map(([k, v]) => [k, typeof v === 'string' && isMessageKey(v) ? translate(locale, v) : v]))
}

/** Field messages in details: a Text, or a string that is a catalog key (zod refinements), is translated. */
function localizeDetails(details: unknown, locale: Locale): unknown {
  if (!Array.isArray(details)) return details
  return details.map((d) => {
    if (typeof d !== 'object' || d === null || !('message' in d)) return d
    const m = (d as { message: unknown }).message
    if (typeof m === 'string') return isMessageKey(m) ? { ...d, message: translate(locale, m) } : d
    if (typeof m === 'object' && m !== null && 'key' in m) return { ...d, message: renderText(m as Text, locale) }
    return d
  })
}

export function renderText(text: Text, locale: Locale): string {
  return translate(locale, text.key, text.params)
}

const zodLocales = { vi: z.locales.vi(), en: z.locales.en() }

/** zod's own messages ("expected number, received string") in the reader's language. */
export function zodErrorMap(locale: Locale) {
  return zodLocales[locale].localeError
}

export function zodDetails(err: z.ZodError) {
  return err.issues.map((i) => ({ path: i.path.join('.'), message: i.message }))
}

export function toErrorResponse(err: unknown, locale: Locale): { status: number; body: ErrorBody } | null {
  if (err instanceof AppError) return { status: err.status, body: errorBody(locale, err.code, err.key, err.params, err.details) }
  if (err instanceof z.ZodError) return { status: 400, body: errorBody(locale, 'invalid_input', 'api.errors.invalidRequest', undefined, zodDetails(err)) }
  return null
}
