import type { Context, Hono } from 'hono'
import { deleteCookie, setCookie } from 'hono/cookie'
import type { PublicItemKind } from '#db/schema/index.js'
import type { AppDeps } from '../../deps.js'
import { identifyWithCode } from '../../domain/web/identify.js'
import { findPublicLink, publicPath } from '../../domain/web/public-slugs.js'
import { rememberToken } from '../../domain/web/signed-tokens.js'
import { clientIp } from '../../http/client-ip.js'
import { publicBase } from '../../http/public-links.js'
import { Layout } from '../layout.js'
import { pageText } from '../locale.js'
import { qrPng, qrSvg } from '../qr.js'
import { notFound } from './phone.js'
import { cookieOptions, deviceOf, linkKey, WHO_COOKIE } from './reader.js'
import type { AppEnv } from '../../http/env.js'

const NEXT_PATH = /^\/[bqst]\/[A-Z0-9]{6}$/

const prefixes: Record<string, PublicItemKind> = { b: 'broadcast', q: 'quiz', s: 'session', t: 'poll' }

/** The Host a request came to, cut short for an error message. */
const hostOf = (c: Context) => (c.req.header('host') ?? '').slice(0, 60)

/** Identifying with a personal code, forgetting this phone, and the pages' QR codes. */
export function identifyRoutes(app: Hono<AppEnv>, deps: AppDeps) {
  const { db, config } = deps

  app.post('/p/identify', async (c) => {
    const form = await c.req.parseBody()
    const next = typeof form.next === 'string' && NEXT_PATH.test(form.next) ? form.next : '/'
    const now = deps.clock()
    const result = await identifyWithCode(db, {
      code: typeof form.code === 'string' ? form.code.slice(0, 40) : '',
      device: await deviceOf(deps, c),
      ip: clientIp(c) ?? 'unknown',
      now,
    })
    switch (result.status) {
      case 'identified':
        setCookie(c, WHO_COOKIE, await rememberToken(await linkKey(deps), result.personId, now), { ...cookieOptions(c), maxAge: config.webLinkTtlDays * 86_400 })
        return c.redirect(next, 303)
      case 'throttled':
        return c.redirect(`${next}?e=throttled&retry=${Math.ceil(result.retryAt.getTime() / 1000)}`, 303)
      default:
        return c.redirect(`${next}?e=${result.status}`, 303)
    }
  })

  app.post('/p/forget', async (c) => {
    const form = await c.req.parseBody()
    const next = typeof form.next === 'string' && NEXT_PATH.test(form.next) ? form.next : '/'
    deleteCookie(c, WHO_COOKIE, { path: '/' })
    return c.redirect(`${next}?e=forgotten`, 303)
  })

  // QR codes of the public (never personal) address.
  app.get('/:prefix{[bqst]}/:slug/:file{qr\\.(svg|png)}', async (c) => {
    const kind = prefixes[c.req.param('prefix')]!
    const slug = c.req.param('slug')
    const link = await findPublicLink(db, slug)
    if (!link || link.kind !== kind) return notFound(c)
    const base = publicBase(config, c)
    if (!base) {
      const { t } = pageText(c)
      const text = t('page.noPublicHost', { host: hostOf(c) })
      return c.html(
        <Layout c={c} title={text} phone>
          <p>{text}</p>
        </Layout>,
        421,
      )
    }
    const url = `${base}${publicPath(kind, slug)}`
    c.header('Cache-Control', 'public, max-age=86400')
    if (c.req.param('file') === 'qr.svg') return c.body(await qrSvg(url), 200, { 'content-type': 'image/svg+xml' })
    return c.body((await qrPng(url)) as unknown as ArrayBuffer, 200, { 'content-type': 'image/png' })
  })
}
