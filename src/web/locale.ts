import type { Context } from 'hono'
import { getCookie, setCookie } from 'hono/cookie'
import type { Locale } from '#db/schema/index.js'
import { isSecureRequest } from '../http/client-ip.js'
import { appContext } from '../http/env.js'
import { translator, type Translate } from '../i18n.js'

const COOKIE = 'lang'

/**
 * The pages are Vietnamese unless the reader chose English: `?lang=en` switches and is remembered
 * in a cookie for a year (`?lang=vi` switches back). The browser's Accept-Language is not read:
 * the Department's staff share devices, and Vietnamese comes first.
 */
export function pageLocale(c: Context): Locale {
  const asked = c.req.query('lang')
  if (asked === 'vi' || asked === 'en') {
    if (getCookie(c, COOKIE) !== asked) {
      setCookie(c, COOKIE, asked, { path: '/', maxAge: 365 * 86_400, sameSite: 'Lax', httpOnly: true, secure: isSecureRequest(c) })
    }
    return asked
  }
  return getCookie(c, COOKIE) === 'en' ? 'en' : 'vi'
}

/** The page's translate function and language, computed once per request. */
export function pageText(c: Context): { t: Translate; locale: Locale } {
  const cached = appContext(c).get('pageText')
  if (cached) return cached
  const locale = pageLocale(c)
  const value = { t: translator(locale), locale }
  appContext(c).set('pageText', value)
  return value
}

/** This page's address with the language switched, for the switch link. */
export function otherLanguageHref(c: Context, locale: Locale): string {
  const url = new URL(c.req.url)
  url.searchParams.set('lang', locale === 'vi' ? 'en' : 'vi')
  return `${url.pathname}${url.search}`
}
