import type { Context } from 'hono'
import type { MiddlewareHandler } from 'hono'
import { languageDetector } from 'hono/language'
import type { Locale } from '#db/schema/index.js'
import { appContext } from './env.js'

/**
 * The admin API answers in Vietnamese unless the request asks for English: `?lang=en` or an
 * `Accept-Language` that prefers it. Nothing is remembered between requests (no cookie).
 */
export const detectLocale: MiddlewareHandler = languageDetector({
  supportedLanguages: ['vi', 'en'],
  fallbackLanguage: 'vi',
  order: ['querystring', 'header'],
  caches: false,
})

/** The request's language; Vietnamese where none was detected (webhooks, unknown routes). */
export function localeOf(c: Context): Locale {
  return appContext(c).get('language') === 'en' ? 'en' : 'vi'
}
