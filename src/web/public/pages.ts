import { Hono, type Context } from 'hono'
import { deleteCookie, getCookie, setCookie } from 'hono/cookie'
import { html, raw } from 'hono/html'
import type { HtmlEscapedString } from 'hono/utils/html'
import type { PublicItemKind } from '../../../db/schema/index.js'
import type { AppDeps } from '../../deps.js'
import { checkedInAt, checkIn, findSession } from '../../domain/attendance/sessions.js'
import { ackedAt, getBroadcast, recordAck } from '../../domain/broadcast/service.js'
import { feedbackText, scoreText } from '../../domain/quiz/messages.js'
import { findQuizForChat, isEligible, quizWindow, recordAnswer, standingOf, startAttempt } from '../../domain/quiz/quizzes.js'
import { identifyWithCode, webPerson } from '../../domain/web/identify.js'
import {
  findPublicLink,
  publicPath,
  recordOpen,
  rememberToken,
  signingKey,
  verifyPersonalToken,
  verifyRememberToken,
} from '../../domain/web/links.js'
import { randomString } from '../../crypto.js'
import { formatDateTime, translator, type MessageKey, type Translate } from '../../i18n.js'
import { qrPng, qrSvg } from '../qr.js'
import { PAGE_CSS } from './style.js'

type Locale = 'vi' | 'en'
const WHO_COOKIE = 'loa_who'
const DEVICE_COOKIE = 'loa_dev'
/** Browsers keep a cookie at most 400 days. */
const LONG = 400 * 86_400
const cookieOptions = (c: Context) => ({
  path: '/',
  httpOnly: true,
  sameSite: 'Lax' as const,
  secure: new URL(c.req.url).protocol === 'https:',
  maxAge: LONG,
})

/** The reader's language: ?lang=, then the lang cookie; Vietnamese by default. */
function localeOf(c: Context): Locale {
  const q = c.req.query('lang')
  if (q === 'en' || q === 'vi') {
    setCookie(c, 'lang', q, { path: '/', sameSite: 'Lax', maxAge: LONG })
    return q
  }
  return getCookie(c, 'lang') === 'en' ? 'en' : 'vi'
}

/** The client's address: the socket on Node, Cloudflare's header on Workers. */
function clientIp(c: Context): string {
  const env = c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined
  if (env?.incoming) return env.incoming.socket?.remoteAddress ?? 'unknown'
  return c.req.header('cf-connecting-ip') ?? 'unknown'
}

/** This phone's random id (for CSRF tokens and the per-device limit), made on its first visit. */
function deviceOf(c: Context): string {
  const existing = getCookie(c, DEVICE_COOKIE)
  if (existing && /^[A-Za-z0-9]{22}$/.test(existing)) return existing
  const id = randomString(22, 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789')
  setCookie(c, DEVICE_COOKIE, id, cookieOptions(c))
  return id
}

async function macHex(key: CryptoKey, text: string): Promise<string> {
  const sig = new Uint8Array(await crypto.subtle.sign('HMAC', key, new TextEncoder().encode(text)))
  return [...sig.slice(0, 16)].map((b) => b.toString(16).padStart(2, '0')).join('')
}

const prefixes: Record<string, PublicItemKind> = { b: 'broadcast', q: 'quiz', s: 'session' }

/**
 * The public phone pages: a brief, a quiz or a session at /b/<slug>, /q/<slug>, /s/<slug>, their
 * QR codes, identification with a personal code, and the one-tap actions. Everything shown to a
 * reader who has not identified is what the item makes public; nothing names anyone else.
 */
export function publicPages(deps: AppDeps) {
  const app = new Hono()
  const { db, config } = deps
  const tz = config.timezone
  const key = () => signingKey(db, config.webLinkSecret)

  const csrfToken = async (device: string) => macHex(await key(), `csrf:${device}`)

  async function checkCsrf(c: Context, form: Record<string, unknown>): Promise<boolean> {
    const device = getCookie(c, DEVICE_COOKIE)
    const given = typeof form._csrf === 'string' ? form._csrf : ''
    if (!device || given.length !== 32) return false
    const want = await csrfToken(device)
    let diff = 0
    for (let i = 0; i < 32; i++) diff |= want.charCodeAt(i) ^ given.charCodeAt(i)
    return diff === 0
  }

  /** Who is reading: a personal link's token for this slug, else the remembered cookie. */
  async function readerOf(c: Context, slug: string, token: string | undefined) {
    const k = await key()
    const fromLink = await verifyPersonalToken(k, slug, token)
    const personId = fromLink ?? (await verifyRememberToken(k, getCookie(c, WHO_COOKIE)))
    if (personId == null) return undefined
    const person = await webPerson(db, personId)
    return person ? { ...person, viaLink: fromLink != null } : undefined
  }

  function layout(t: Translate, locale: Locale, title: string, body: HtmlEscapedString | Promise<HtmlEscapedString>, c: Context) {
    const other = locale === 'vi' ? 'en' : 'vi'
    const url = new URL(c.req.url)
    url.searchParams.set('lang', other)
    return html`<!doctype html>
<html lang="${locale}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title><link rel="stylesheet" href="/p/page.css"></head>
<body><a class="skip" href="#main">${t('page.skip')}</a>
<header><span>${t('page.site')}</span> <a href="${url.pathname}${url.search}" hreflang="${other}" lang="${other}">${t('page.language')}</a></header>
<main id="main">${body}</main></body></html>`
  }

  const notice = (text: string, kind: 'ok' | 'warn' = 'ok') => html`<p class="notice ${kind}" role="status">${text}</p>`

  /** The identify form, or who is reading with the way to forget this phone. */
  function whoBlock(t: Translate, csrf: string, next: string, reader: Awaited<ReturnType<typeof readerOf>>) {
    if (reader) {
      if (reader.viaLink) return html`<p class="who">${t('page.you', { name: reader.fullName })}</p>`
      return html`<form class="who" method="post" action="/p/forget"><input type="hidden" name="_csrf" value="${csrf}"><input type="hidden" name="next" value="${next}">
${t('page.you', { name: reader.fullName })} <button class="link" type="submit">${t('page.forget')}</button></form>`
    }
    return html`<form class="identify" method="post" action="/p/identify"><h2>${t('page.identifyTitle')}</h2>
<p>${t('page.identifyHelp')}</p><input type="hidden" name="_csrf" value="${csrf}"><input type="hidden" name="next" value="${next}">
<label for="code">${t('page.codeLabel')}</label><input id="code" name="code" autocomplete="one-time-code" autocapitalize="characters" required maxlength="20" inputmode="text">
<button type="submit">${t('page.identifyButton')}</button></form>`
  }

  const errorText = (t: Translate, e: string | undefined, retry: string | undefined) => {
    switch (e) {
      case 'invalid':
        return notice(t('page.invalidCode'), 'warn')
      case 'expired':
        return notice(t('page.expiredCode'), 'warn')
      case 'throttled':
        return notice(t('page.throttled', { time: retry ? formatDateTime(new Date(Number(retry) * 1000), tz) : '' }), 'warn')
      case 'forgotten':
        return notice(t('page.forgotten'))
      case 'csrf':
        return notice(t('page.badForm'), 'warn')
      default:
        return ''
    }
  }

  const notFound = (c: Context, t: Translate, locale: Locale, key: MessageKey = 'page.notFound') =>
    c.html(layout(t, locale, t(key), html`<p>${t(key)}</p>`, c), key === 'page.notFound' ? 404 : 200)

  const hidden = (csrf: string, token: string | undefined) =>
    html`<input type="hidden" name="_csrf" value="${csrf}">${token ? html`<input type="hidden" name="p" value="${token}">` : ''}`

  /** The page's own address, keeping a personal token. */
  const selfPath = (kind: PublicItemKind, slug: string, token: string | undefined, extra = '') => {
    const q = new URLSearchParams()
    if (token) q.set('p', token)
    if (extra) for (const [k, v] of new URLSearchParams(extra)) q.set(k, v)
    const s = q.toString()
    return `${publicPath(kind, slug)}${s ? `?${s}` : ''}`
  }

  app.get('/p/page.css', (c) => {
    c.header('Cache-Control', 'public, max-age=86400')
    return c.body(PAGE_CSS, 200, { 'content-type': 'text/css; charset=utf-8' })
  })

  app.post('/p/identify', async (c) => {
    const form = await c.req.parseBody()
    const next = typeof form.next === 'string' && /^\/[bqs]\/[A-Z0-9]{6}$/.test(form.next) ? form.next : '/'
    if (!(await checkCsrf(c, form))) return c.redirect(`${next}?e=csrf`, 303)
    const now = deps.clock()
    const result = await identifyWithCode(db, {
      code: typeof form.code === 'string' ? form.code.slice(0, 40) : '',
      device: getCookie(c, DEVICE_COOKIE)!,
      ip: clientIp(c),
      now,
    })
    switch (result.status) {
      case 'identified':
        setCookie(c, WHO_COOKIE, await rememberToken(await key(), result.personId, now), cookieOptions(c))
        return c.redirect(next, 303)
      case 'throttled':
        return c.redirect(`${next}?e=throttled&retry=${Math.ceil(result.retryAt.getTime() / 1000)}`, 303)
      default:
        return c.redirect(`${next}?e=${result.status}`, 303)
    }
  })

  app.post('/p/forget', async (c) => {
    const form = await c.req.parseBody()
    const next = typeof form.next === 'string' && /^\/[bqs]\/[A-Z0-9]{6}$/.test(form.next) ? form.next : '/'
    if (!(await checkCsrf(c, form))) return c.redirect(`${next}?e=csrf`, 303)
    deleteCookie(c, WHO_COOKIE, { path: '/' })
    return c.redirect(`${next}?e=forgotten`, 303)
  })

  // QR codes of the public (never personal) address.
  app.get('/:prefix{[bqs]}/:slug/:file{qr\\.(svg|png)}', async (c) => {
    const kind = prefixes[c.req.param('prefix')]!
    const slug = c.req.param('slug')
    const link = await findPublicLink(db, slug)
    if (!link || link.kind !== kind) return c.text('not found', 404)
    const base = config.publicUrl ?? new URL(c.req.url).origin
    const url = `${base}${publicPath(kind, slug)}`
    c.header('Cache-Control', 'public, max-age=86400')
    if (c.req.param('file') === 'qr.svg') return c.body(await qrSvg(url), 200, { 'content-type': 'image/svg+xml' })
    return c.body((await qrPng(url)) as unknown as ArrayBuffer, 200, { 'content-type': 'image/png' })
  })

  // ---- a brief (any broadcast) ----
  app.get('/b/:slug', async (c) => {
    const locale = localeOf(c)
    const t = translator(locale)
    const slug = c.req.param('slug')
    const link = await findPublicLink(db, slug)
    const b = link?.kind === 'broadcast' ? await getBroadcast(db, link.itemId) : undefined
    if (!b || b.status === 'cancelled') return notFound(c, t, locale)
    if (!b.expandedAt) return notFound(c, t, locale, 'page.notYet')
    const token = c.req.query('p')
    const reader = await readerOf(c, slug, token)
    await recordOpen(db, 'broadcast', b.id, reader?.id ?? null, deps.clock())
    const csrf = await csrfToken(deviceOf(c))
    let action: HtmlEscapedString | Promise<HtmlEscapedString> | string = ''
    if (b.requireAck) {
      const at = reader ? await ackedAt(db, b.id, reader.id) : undefined
      if (c.req.query('r') === 'not_for_you') action = notice(t('page.ackNotForYou'), 'warn')
      else if (at) action = notice(t('page.ackDone', { time: formatDateTime(at, tz) }))
      else if (reader)
        action = html`<form method="post" action="${publicPath('broadcast', slug)}/ack">${hidden(csrf, token)}<button class="primary" type="submit">${t('page.ackButton')}</button></form>`
    }
    const body = html`<article><p class="kind">${t(`broadcast.kind.${b.kind}`)}</p><h1>${b.title}</h1>
${b.imageUrl ? html`<img src="${b.imageUrl}" alt="" loading="lazy">` : ''}
${raw(paragraphs(b.body))}
${b.link ? html`<p><a href="${b.link}" rel="noopener noreferrer">${t('page.openLink')}</a></p>` : ''}</article>
${errorText(t, c.req.query('e'), c.req.query('retry'))}${action}
${b.requireAck || reader ? whoBlock(t, csrf, publicPath('broadcast', slug), reader) : ''}`
    return c.html(layout(t, locale, b.title, body, c))
  })

  app.post('/b/:slug/ack', async (c) => {
    const slug = c.req.param('slug')
    const form = await c.req.parseBody()
    const token = typeof form.p === 'string' ? form.p : undefined
    if (!(await checkCsrf(c, form))) return c.redirect(selfPath('broadcast', slug, token, 'e=csrf'), 303)
    const link = await findPublicLink(db, slug)
    if (!link || link.kind !== 'broadcast') return c.redirect(selfPath('broadcast', slug, token), 303)
    const reader = await readerOf(c, slug, token)
    if (!reader) return c.redirect(selfPath('broadcast', slug, token), 303)
    const result = await recordAck(db, link.itemId, reader.id, deps.clock(), 'web')
    return c.redirect(selfPath('broadcast', slug, token, result.status === 'not_for_you' ? 'r=not_for_you' : ''), 303)
  })

  // ---- a session: QR check-in ----
  app.get('/s/:slug', async (c) => {
    const locale = localeOf(c)
    const t = translator(locale)
    const slug = c.req.param('slug')
    const link = await findPublicLink(db, slug)
    const s = link?.kind === 'session' ? await findSession(db, link.itemId) : undefined
    if (!s) return notFound(c, t, locale)
    const token = c.req.query('p')
    const reader = await readerOf(c, slug, token)
    await recordOpen(db, 'session', s.id, reader?.id ?? null, deps.clock())
    const csrf = await csrfToken(deviceOf(c))
    const at = reader ? await checkedInAt(db, s.id, reader.id) : undefined
    const r = c.req.query('r')
    const params = { title: s.title, kind: t(`checkin.kind.${s.kind}`), from: formatDateTime(s.opensAt, tz), to: formatDateTime(s.closesAt, tz) }
    let state: HtmlEscapedString | Promise<HtmlEscapedString> | string = ''
    if (at) state = notice(t(r === 'checked_in' ? 'checkin.confirmed' : 'checkin.already', { ...params, at: formatDateTime(at, tz) }))
    else if (r === 'not_open') state = notice(t('checkin.notOpen', { title: s.title, at: params.from }), 'warn')
    else if (r === 'closed') state = notice(t('checkin.closed', { title: s.title, at: params.to }), 'warn')
    else if (reader)
      state = html`<form method="post" action="${publicPath('session', slug)}/checkin">${hidden(csrf, token)}<button class="primary" type="submit">${t('page.checkinButton')}</button></form>`
    const body = html`<article><p class="kind">${t(`checkin.kind.${s.kind}`)}</p><h1>${s.title}</h1>
<p>${t('page.checkinWindow', { from: params.from, to: params.to })}</p></article>
${errorText(t, c.req.query('e'), c.req.query('retry'))}${state}${whoBlock(t, csrf, publicPath('session', slug), reader)}`
    return c.html(layout(t, locale, `${t('page.checkinTitle')}: ${s.title}`, body, c))
  })

  app.post('/s/:slug/checkin', async (c) => {
    const slug = c.req.param('slug')
    const form = await c.req.parseBody()
    const token = typeof form.p === 'string' ? form.p : undefined
    if (!(await checkCsrf(c, form))) return c.redirect(selfPath('session', slug, token, 'e=csrf'), 303)
    const link = await findPublicLink(db, slug)
    const s = link?.kind === 'session' ? await findSession(db, link.itemId) : undefined
    const reader = s && (await readerOf(c, slug, token))
    if (!s || !reader) return c.redirect(selfPath('session', slug, token), 303)
    // The same rules and answers as /diemdanh: the session's own code, through the same service.
    const result = await checkIn(db, { code: s.code, personId: reader.id, channel: 'web', now: deps.clock() })
    return c.redirect(selfPath('session', slug, token, `r=${result.status}`), 303)
  })

  // ---- a quiz ----
  app.get('/q/:slug', async (c) => {
    const locale = localeOf(c)
    const t = translator(locale)
    const slug = c.req.param('slug')
    const link = await findPublicLink(db, slug)
    const quiz = link?.kind === 'quiz' ? await findQuizForChat(db, link.itemId) : undefined
    if (!quiz) return notFound(c, t, locale)
    const token = c.req.query('p')
    const reader = await readerOf(c, slug, token)
    const now = deps.clock()
    await recordOpen(db, 'quiz', quiz.id, reader?.id ?? null, now)
    const csrf = await csrfToken(deviceOf(c))
    const pct = (x: number) => Math.round(x * 100)
    const intro = html`<article><h1>${quiz.title}</h1><p>${t('page.quizIntro', {
      count: quiz.questions.length,
      pass: pct(quiz.passMark),
      closes: formatDateTime(quiz.closesAt, tz),
    })}</p></article>`
    let main: HtmlEscapedString | Promise<HtmlEscapedString> | string = ''
    const standing = reader ? await standingOf(db, quiz, reader.id) : undefined
    const fb = Number(c.req.query('fb'))
    const feedback =
      standing && Number.isInteger(fb) && standing.answers.has(fb)
        ? notice(feedbackText(t, quiz, fb, standing.answers.get(fb)!.correct), standing.answers.get(fb)!.correct ? 'ok' : 'warn')
        : ''
    const window = quizWindow(quiz, now)
    if (standing?.participant.completedAt || (standing && standing.next === null)) {
      main = html`${feedback}${notice(scoreText(t, quiz, standing, fb >= 0 && fb === quiz.questions.length - 1 ? 'quiz.finished' : 'quiz.alreadyDone'))}`
    } else if (window === 'not_open') main = notice(t('quiz.notOpen', { title: quiz.title, at: formatDateTime(quiz.opensAt, tz) }), 'warn')
    else if (window === 'closed') main = notice(t('quiz.closed', { title: quiz.title, at: formatDateTime(quiz.closesAt, tz) }), 'warn')
    else if (reader && c.req.query('r') === 'not_for_you') main = notice(t('quiz.notForYou'), 'warn')
    else if (reader && standing?.participant.startedAt && standing.next !== null) {
      const i = standing.next
      const q = quiz.questions[i]!
      main = html`${feedback}<form method="post" action="${publicPath('quiz', slug)}/answer">${hidden(csrf, token)}<input type="hidden" name="q" value="${i}">
<fieldset><legend>${t('page.quizQuestion', { number: i + 1, count: quiz.questions.length })}: ${q.text}</legend>
${q.options.map((o, j) => html`<label class="option"><input type="radio" name="o" value="${j}" required> ${String.fromCharCode(65 + j)}. ${o}</label>`)}
</fieldset><button class="primary" type="submit">${t('page.quizAnswer')}</button></form>`
    } else if (reader) {
      main = html`<form method="post" action="${publicPath('quiz', slug)}/start">${hidden(csrf, token)}<button class="primary" type="submit">${t('page.quizStart')}</button></form>`
    }
    const body = html`${intro}${errorText(t, c.req.query('e'), c.req.query('retry'))}${main}${whoBlock(t, csrf, publicPath('quiz', slug), reader)}`
    return c.html(layout(t, locale, quiz.title, body, c))
  })

  app.post('/q/:slug/:step{start|answer}', async (c) => {
    const slug = c.req.param('slug')
    const form = await c.req.parseBody()
    const token = typeof form.p === 'string' ? form.p : undefined
    if (!(await checkCsrf(c, form))) return c.redirect(selfPath('quiz', slug, token, 'e=csrf'), 303)
    const link = await findPublicLink(db, slug)
    const quiz = link?.kind === 'quiz' ? await findQuizForChat(db, link.itemId) : undefined
    const reader = quiz && (await readerOf(c, slug, token))
    const now = deps.clock()
    if (!quiz || !reader || quizWindow(quiz, now) !== 'open') return c.redirect(selfPath('quiz', slug, token), 303)
    let standing = await standingOf(db, quiz, reader.id)
    if (!standing?.participant.startedAt) {
      if (!(await isEligible(db, quiz, reader.id))) return c.redirect(selfPath('quiz', slug, token, 'r=not_for_you'), 303)
      standing = (await startAttempt(db, quiz, reader.id, now)).progress
    }
    if (c.req.param('step') === 'start') return c.redirect(selfPath('quiz', slug, token), 303)
    const index = Number(form.q)
    const option = Number(form.o)
    if (!Number.isInteger(index) || !Number.isInteger(option)) return c.redirect(selfPath('quiz', slug, token), 303)
    const result = await recordAnswer(db, { quiz, standing, index, option, channel: 'web', now })
    return c.redirect(selfPath('quiz', slug, token, result.status === 'out_of_turn' ? '' : `fb=${index}`), 303)
  })

  return app
}

/** The body as paragraphs, escaped; blank lines separate paragraphs, single newlines break lines. */
function paragraphs(text: string): string {
  const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')
  return text
    .split(/\n\s*\n/)
    .map((p) => `<p>${esc(p.trim()).replace(/\n/g, '<br>')}</p>`)
    .join('\n')
}
