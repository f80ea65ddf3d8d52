import { catalogs, type Catalog } from '#locales/index.js'
import type { Locale } from '#db/schema/index.js'

type Leaves<T, P extends string = ''> = {
  [K in keyof T & string]: T[K] extends string ? `${P}${K}` : Leaves<T[K], `${P}${K}.`>
}[keyof T & string]

/** Every translatable key, e.g. 'start.welcome'. */
export type MessageKey = Leaves<Catalog>
export type Params = Record<string, string | number>
export type Translate = (key: MessageKey, params?: Params) => string

/** The languages Loa speaks, Vietnamese first: those with a catalog. */
export const languages = Object.keys(catalogs) as Locale[]

/**
 * The names of a family of keys: `KeyIn<'consoleContent.channel.'>` is 'telegram' | 'zalo_bot' | …
 * A label looked up as `t(`consoleContent.channel.${name}`)` with `name: KeyIn<…>` is checked by tsc.
 */
export type KeyIn<Prefix extends string> = MessageKey extends infer K ? (K extends `${Prefix}${infer Name}` ? Name : never) : never

/**
 * Looks a key up in the locale's catalog and fills {placeholders}. Written by hand: the catalogs
 * are typed TypeScript objects (a missing English key fails tsc), and i18next's current major
 * needs Node 22.
 */
export function translate(locale: Locale, key: MessageKey, params?: Params): string {
  const text = lookup(catalogs[locale], key) ?? lookup(catalogs.vi, key) ?? key
  if (!params) return text
  return text.replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in params ? String(params[name]) : whole,
  )
}

function lookup(catalog: Catalog, key: string): string | undefined {
  let node: unknown = catalog
  for (const part of key.split('.')) {
    if (typeof node !== 'object' || node === null) return undefined
    node = (node as Record<string, unknown>)[part]
  }
  return typeof node === 'string' ? node : undefined
}

/** True for a catalog key ('api.checks.httpUrl'): such strings in error details are translated. */
export function isMessageKey(text: string): text is MessageKey {
  return /^[a-z]\w*(\.\w+)+$/i.test(text) && lookup(catalogs.vi, text) !== undefined
}

export function translator(locale: Locale): Translate {
  return (key, params) => translate(locale, key, params)
}

/** Lower-case, without diacritics (đ → d), spaces folded: how typed answers are compared. */
export function normalize(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[đĐ]/g, 'd')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim()
}

/** dd/mm/yyyy in the app's time zone, as Vietnamese users read dates. */
export function formatDate(date: Date, timeZone: string): string {
  return formatter('date', timeZone).format(date)
}

// Building an Intl.DateTimeFormat costs far more than using one; a few time zones at most are cached.
const formatters = new Map<string, Intl.DateTimeFormat>()
function formatter(kind: 'date' | 'time', timeZone: string): Intl.DateTimeFormat {
  const key = `${kind}:${timeZone}`
  let f = formatters.get(key)
  if (!f) {
    f =
      kind === 'date'
        ? new Intl.DateTimeFormat('en-GB', { timeZone, day: '2-digit', month: '2-digit', year: 'numeric' })
        : new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hour12: false })
    formatters.set(key, f)
  }
  return f
}

/** HH:mm dd/mm/yyyy in the app's time zone. */
export function formatDateTime(date: Date, timeZone: string): string {
  const time = formatter('time', timeZone).format(date)
  return `${time} ${formatDate(date, timeZone)}`
}

const hourFormats = new Map<string, Intl.NumberFormat>()
/** A number of hours in the reader's language, at most one decimal: `1,5` in Vietnamese, `1.5` in English. */
export function formatHours(hours: number, locale: Locale): string {
  let f = hourFormats.get(locale)
  if (!f) hourFormats.set(locale, (f = new Intl.NumberFormat(locale === 'vi' ? 'vi-VN' : 'en-GB', { maximumFractionDigits: 1 })))
  return f.format(hours)
}

const percentFormats = new Map<string, Intl.NumberFormat>()
/**
 * A share (0–1) as a percentage in the reader's language, at most one decimal: `76,3%` in
 * Vietnamese, `76.3%` in English; `—` when there is nothing to divide by. The one percent format of
 * the console's pages (overview, broadcast results, reach).
 */
export function formatPercent(share: number | null | undefined, locale: Locale): string {
  if (share == null || !Number.isFinite(share)) return '—'
  let f = percentFormats.get(locale)
  if (!f) percentFormats.set(locale, (f = new Intl.NumberFormat(locale === 'vi' ? 'vi-VN' : 'en-GB', { style: 'percent', maximumFractionDigits: 1 })))
  return f.format(share)
}
