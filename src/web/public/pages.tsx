import { Hono, type Context } from 'hono'
import { deleteCookie, getCookie, setCookie } from 'hono/cookie'
import type { Child } from 'hono/jsx'
import type { PublicItemKind } from '../../../db/schema/index.js'
import type { AppDeps } from '../../deps.js'
import { checkedInAt, checkIn, findSession } from '../../domain/attendance/sessions.js'
import { ackedAt, recordAck } from '../../domain/broadcast/service.js'
import { feedbackText, scoreText } from '../../domain/quiz/messages.js'
import { findQuizForChat, isEligible, quizWindow, recordAnswer, standingOf, startAttempt } from '../../domain/quiz/quizzes.js'
import { identifyWithCode, webPerson } from '../../domain/web/identify.js'
import { publicBrief } from '../../domain/web/public-brief.js'
import { findPublicLink, publicPath, recordOpen, signingKey } from '../../domain/web/links.js'
import {
  newDeviceToken,
  personalLinkLive,
  rememberToken,
  verifyDeviceToken,
  verifyPersonalToken,
  verifyRememberToken,
} from '../../domain/web/tokens.js'
import { publicBase } from '../../http/public-links.js'
import { clientIp, isSecureRequest } from '../../http/client-ip.js'
import { formatDateTime, type MessageKey, type Translate } from '../../i18n.js'
import { CsrfField, Layout } from '../layout.js'
import { pageText } from '../locale.js'
import { qrPng, qrSvg } from '../qr.js'
import { answerBeforeCommit, briefPageCache, etagOf } from './speed.js'

const WHO_COOKIE = 'loa_who'
/** The server-issued id of a phone that has typed a personal code (its limit of wrong codes). */
const DEVICE_COOKIE = 'loa_dev'
/** Browsers keep a cookie at most 400 days. */
const LONG = 400 * 86_400
const NEXT_PATH = /^\/[bqs]\/[A-Z0-9]{6}$/

/** The Host a request came to, cut short for an error message. */
const hostOf = (c: Context) => (c.req.header('host') ?? '').slice(0, 60)

/**
 * The "too many wrong codes" notice from the redirect's `retry` (seconds since 1970): a short wait
 * in seconds, a longer one as a time; anything that is not a time in the coming day (a hand-edited
 * address) says only "later".
 */
function throttledText(t: Translate, retry: string | undefined, now: Date, tz: string): string {
  const at = retry && /^\d{1,12}$/.test(retry) ? Number(retry) * 1000 : NaN
  const wait = at - now.getTime()
  if (!(wait > -60_000 && wait <= 86_400_000)) return t('page.throttledLater')
  if (wait <= 600_000) return t('page.throttledSeconds', { seconds: Math.max(1, Math.ceil(wait / 1000)) })
  return t('page.throttled', { time: formatDateTime(new Date(at), tz) })
}

const prefixes: Record<string, PublicItemKind> = { b: 'broadcast', q: 'quiz', s: 'session' }

type Reader = { id: number; fullName: string; viaLink: boolean }

function Notice(props: { text: string; kind?: 'ok' | 'warn' }) {
  return (
    <p class={`notice ${props.kind ?? 'ok'}`} role="status">
      {props.text}
    </p>
  )
}

/** A personal link's token travels with every form of its page, so the reader stays themselves. */
function Hidden({ c, token }: { c: Context; token: string | undefined }) {
  return (
    <>
      <CsrfField c={c} />
      {token && <input type="hidden" name="p" value={token} />}
    </>
  )
}

/**
 * The identify form, or who is reading with the way to forget this phone. A wrong or expired code
 * (`error`) is said inside the form, right above the field, which is marked invalid, described by
 * it and focused (autofocus, which also scrolls it into view; Chromium skips autofocus on an
 * address with a #fragment, so the redirect carries none) (walk P9).
 */
function WhoBlock({ c, t, next, reader, error }: { c: Context; t: Translate; next: string; reader: Reader | undefined; error?: string | null }) {
  if (reader?.viaLink) return <p class="who card">{t('page.you', { name: reader.fullName })}</p>
  if (reader) {
    return (
      <form class="who card" method="post" action="/p/forget">
        <CsrfField c={c} />
        <input type="hidden" name="next" value={next} />
        {t('page.you', { name: reader.fullName })}{' '}
        <button class="link" type="submit">
          {t('page.forget')}
        </button>
      </form>
    )
  }
  return (
    <form class="identify card" method="post" action="/p/identify" id="identify">
      <h2>{t('page.identifyTitle')}</h2>
      <p>{t('page.identifyHelp')}</p>
      <CsrfField c={c} />
      <input type="hidden" name="next" value={next} />
      <label for="code">{t('page.codeLabel')}</label>
      {error && (
        <p class="field-error" id="code-error" role="alert">
          {error}
        </p>
      )}
      <input
        id="code"
        name="code"
        type="text"
        autocomplete="one-time-code"
        autocapitalize="characters"
        required
        maxlength={20}
        aria-invalid={error ? 'true' : undefined}
        aria-describedby={error ? 'code-error' : undefined}
        autofocus={!!error}
      />
      <button class="primary" type="submit">
        {t('page.identifyButton')}
      </button>
    </form>
  )
}

/** The body as paragraphs; blank lines separate paragraphs, single newlines break lines. */
function Paragraphs({ text }: { text: string }) {
  return (
    <>
      {text.split(/\n\s*\n/).map((p) => {
        const lines = p.trim().split('\n')
        return <p>{lines.map((line, i) => (i === 0 ? line : [<br />, line]))}</p>
      })}
    </>
  )
}

/**
 * The public phone pages: a brief, a quiz or a session at /b/<slug>, /q/<slug>, /s/<slug>, their
 * QR codes, identification with a personal code, and the one-tap actions. Everything shown to a
 * reader who has not identified is what the item makes public; nothing names anyone else. They
 * use the pages' one frame (Layout, /assets/loa.css, the `_csrf` form token checked by
 * src/web/csrf.ts before any handler here runs).
 */
export function publicPages(deps: AppDeps) {
  const app = new Hono()
  const { db, config } = deps
  const tz = config.timezone
  const key = () => signingKey(db, config.webLinkSecret)
  /** One "opened" event: into the batch of a long-lived server, else written now. */
  const opened = async (kind: PublicItemKind, itemId: number, personId: number | null, now: Date) =>
    deps.opens ? deps.opens.record(kind, itemId, personId, now) : recordOpen(db, kind, itemId, personId, now)
  const cookieOptions = (c: Context) => ({
    path: '/',
    httpOnly: true,
    sameSite: 'Lax' as const,
    secure: isSecureRequest(c),
    maxAge: LONG,
  })

  /**
   * The phone's device id for its own limit of wrong codes: the one the server issued it, else a
   * new one, set now (a phone that drops it starts a new count, but is still counted by its address).
   */
  async function deviceOf(c: Context): Promise<string> {
    const k = await key()
    const known = await verifyDeviceToken(k, getCookie(c, DEVICE_COOKIE))
    if (known) return known
    const fresh = await newDeviceToken(k)
    setCookie(c, DEVICE_COOKIE, fresh.token, cookieOptions(c))
    return fresh.id
  }

  /** Who is reading: a personal link's token for this slug, else the remembered cookie. */
  async function readerOf(c: Context, slug: string, token: string | undefined): Promise<Reader | undefined> {
    const remembered = getCookie(c, WHO_COOKIE)
    // An anonymous visitor (from a school group) costs no signature check at all.
    if (!token && !remembered) return undefined
    const k = await key()
    const now = deps.clock()
    const claim = await verifyPersonalToken(k, slug, token)
    const fromLink = claim && (await personalLinkLive(db, claim, now, config.webLinkTtlDays)) ? claim.personId : null
    const personId = fromLink ?? (await verifyRememberToken(k, remembered, now, config.webLinkTtlDays))
    if (personId == null) return undefined
    const person = await webPerson(db, personId)
    return person ? { id: person.id, fullName: person.fullName, viaLink: fromLink != null } : undefined
  }

  const page = (c: Context, title: string, body: Child, status: 200 | 404 = 200) =>
    c.html(
      <Layout c={c} title={title} phone>
        {body}
      </Layout>,
      status,
    )

  /** "This phone forgot you": a notice above the page's action. */
  function ErrorText({ t, c }: { t: Translate; c: Context }) {
    return c.req.query('e') === 'forgotten' ? <Notice text={t('page.forgotten')} /> : null
  }

  /** Why the code just typed was refused, for the identify form to show next to its field. */
  function identifyError(t: Translate, c: Context): string | null {
    switch (c.req.query('e')) {
      case 'invalid':
        return t('page.invalidCode')
      case 'expired':
        return t('page.expiredCode')
      case 'throttled':
        return throttledText(t, c.req.query('retry'), deps.clock(), tz)
      default:
        return null
    }
  }

  const notFound = (c: Context, key: MessageKey = 'page.notFound') => {
    const { t } = pageText(c)
    return page(c, t(key), <p>{t(key)}</p>, key === 'page.notFound' ? 404 : 200)
  }

  /** The page's own address, keeping a personal token. */
  const selfPath = (kind: PublicItemKind, slug: string, token: string | undefined, extra = '') => {
    const q = new URLSearchParams()
    if (token) q.set('p', token)
    if (extra) for (const [k, v] of new URLSearchParams(extra)) q.set(k, v)
    const s = q.toString()
    return `${publicPath(kind, slug)}${s ? `?${s}` : ''}`
  }

  const formToken = (form: Record<string, unknown>) => (typeof form.p === 'string' ? form.p : undefined)

  app.post('/p/identify', async (c) => {
    const form = await c.req.parseBody()
    const next = typeof form.next === 'string' && NEXT_PATH.test(form.next) ? form.next : '/'
    const now = deps.clock()
    const result = await identifyWithCode(db, {
      code: typeof form.code === 'string' ? form.code.slice(0, 40) : '',
      device: await deviceOf(c),
      ip: clientIp(c) ?? 'unknown',
      now,
    })
    switch (result.status) {
      case 'identified':
        setCookie(c, WHO_COOKIE, await rememberToken(await key(), result.personId, now), { ...cookieOptions(c), maxAge: config.webLinkTtlDays * 86_400 })
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
  app.get('/:prefix{[bqs]}/:slug/:file{qr\\.(svg|png)}', async (c) => {
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

  // ---- a brief (any broadcast) ----
  app.get('/b/:slug', async (c) => {
    const slug = c.req.param('slug')
    const link = await findPublicLink(db, slug)
    const now = deps.clock()
    const b = link?.kind === 'broadcast' ? await publicBrief(db, link.itemId, now.getTime()) : undefined
    if (!b || b.status === 'cancelled') return notFound(c)
    if (!b.expandedAt) return notFound(c, 'page.notYet')
    const token = c.req.query('p')
    const reader = await readerOf(c, slug, token)
    // An "opened" row is a count, not something the reader is told was kept: the page does not
    // wait for it to be committed (see answerBeforeCommit and bufferedOpens).
    await opened('broadcast', b.id, reader?.id ?? null, now)
    answerBeforeCommit(c)
    const { t, locale } = pageText(c)
    // Revalidated by the phone (ETag): the same page for the same reader, browser and brief.
    c.header('Cache-Control', 'private, no-cache')
    const search = new URL(c.req.url).search
    if (!reader && (search === '' || /^\?lang=(vi|en)$/.test(search))) {
      // The anonymous page is the same for every visitor but for their form token: rendered once
      // per brief, language and address, then only the token is put in.
      const page = await briefPageCache.render(b, `${locale}${search}`, c, () => briefPage(c, t, b, slug, undefined, undefined))
      return etagged(c, page.html, page.etag)
    }
    const html = await briefPage(c, t, b, slug, reader, token).toString()
    return etagged(c, html, etagOf(html))
  })

  function etagged(c: Context, html: string, etag: string) {
    c.header('ETag', etag)
    if (c.req.header('if-none-match') === etag) return c.body(null, 304)
    return c.html(html)
  }

  function briefPage(c: Context, t: Translate, b: NonNullable<Awaited<ReturnType<typeof publicBrief>>>, slug: string, reader: Reader | undefined, token: string | undefined) {
    return (
      <Layout c={c} title={b.title} phone>
        <article>
          <p class="kind">{t(`broadcast.kind.${b.kind}`)}</p>
          <h1>{b.title}</h1>
          {/* Above the text, so that a phone shows it on the first screen (walk P9). */}
          {b.requireAck && !reader && <WhoBlock c={c} t={t} next={publicPath('broadcast', slug)} reader={reader} error={identifyError(t, c)} />}
          {b.imageUrl && <img src={b.imageUrl} alt="" loading="lazy" />}
          <Paragraphs text={b.body} />
          {b.link && (
            <p>
              <a href={b.link} rel="noopener noreferrer">
                {t('page.openLink')}
              </a>
            </p>
          )}
        </article>
        <ErrorText t={t} c={c} />
        {b.requireAck && <BriefAction c={c} t={t} briefId={b.id} slug={slug} reader={reader} token={token} />}
        {reader && <WhoBlock c={c} t={t} next={publicPath('broadcast', slug)} reader={reader} />}
      </Layout>
    )
  }

  async function BriefAction(props: { c: Context; t: Translate; briefId: number; slug: string; reader: Reader | undefined; token: string | undefined }) {
    const { c, t, reader } = props
    if (c.req.query('r') === 'not_for_you') return <Notice text={t('page.ackNotForYou')} kind="warn" />
    if (!reader) return null
    const at = await ackedAt(db, props.briefId, reader.id)
    if (at) return <Notice text={t('page.ackDone', { time: formatDateTime(at, tz) })} />
    return (
      <form method="post" action={`${publicPath('broadcast', props.slug)}/ack`}>
        <Hidden c={c} token={props.token} />
        <button class="primary" type="submit">
          {t('page.ackButton')}
        </button>
      </form>
    )
  }

  app.post('/b/:slug/ack', async (c) => {
    const slug = c.req.param('slug')
    const token = formToken(await c.req.parseBody())
    const link = await findPublicLink(db, slug)
    if (!link || link.kind !== 'broadcast') return c.redirect(selfPath('broadcast', slug, token), 303)
    const reader = await readerOf(c, slug, token)
    if (!reader) return c.redirect(selfPath('broadcast', slug, token), 303)
    const result = await recordAck(db, link.itemId, reader.id, deps.clock(), 'web')
    return c.redirect(selfPath('broadcast', slug, token, result.status === 'not_for_you' ? 'r=not_for_you' : ''), 303)
  })

  // ---- a session: QR check-in ----
  app.get('/s/:slug', async (c) => {
    const { t } = pageText(c)
    const slug = c.req.param('slug')
    const link = await findPublicLink(db, slug)
    const s = link?.kind === 'session' ? await findSession(db, link.itemId) : undefined
    if (!s) return notFound(c)
    const token = c.req.query('p')
    const reader = await readerOf(c, slug, token)
    await opened('session', s.id, reader?.id ?? null, deps.clock())
    answerBeforeCommit(c)
    const at = reader ? await checkedInAt(db, s.id, reader.id) : undefined
    const r = c.req.query('r')
    const params = { title: s.title, kind: t(`checkin.kind.${s.kind}`), from: formatDateTime(s.opensAt, tz), to: formatDateTime(s.closesAt, tz) }
    let state: Child = null
    if (at) state = <Notice text={t(r === 'checked_in' ? 'checkin.confirmed' : 'checkin.already', { ...params, at: formatDateTime(at, tz) })} />
    else if (r === 'not_open') state = <Notice text={t('checkin.notOpen', { title: s.title, at: params.from })} kind="warn" />
    else if (r === 'closed') state = <Notice text={t('checkin.closed', { title: s.title, at: params.to })} kind="warn" />
    else if (reader)
      state = (
        <form method="post" action={`${publicPath('session', slug)}/checkin`}>
          <Hidden c={c} token={token} />
          <button class="primary" type="submit">
            {t('page.checkinButton')}
          </button>
        </form>
      )
    return page(
      c,
      `${t('page.checkinTitle')}: ${s.title}`,
      <>
        <article>
          <p class="kind">{t(`checkin.kind.${s.kind}`)}</p>
          <h1>{s.title}</h1>
          <p>{t('page.checkinWindow', { from: params.from, to: params.to })}</p>
        </article>
        <ErrorText t={t} c={c} />
        {state}
        <WhoBlock c={c} t={t} next={publicPath('session', slug)} reader={reader} error={identifyError(t, c)} />
      </>,
    )
  })

  app.post('/s/:slug/checkin', async (c) => {
    const slug = c.req.param('slug')
    const token = formToken(await c.req.parseBody())
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
    const { t } = pageText(c)
    const slug = c.req.param('slug')
    const link = await findPublicLink(db, slug)
    const quiz = link?.kind === 'quiz' ? await findQuizForChat(db, link.itemId) : undefined
    if (!quiz) return notFound(c)
    const token = c.req.query('p')
    const reader = await readerOf(c, slug, token)
    const now = deps.clock()
    await opened('quiz', quiz.id, reader?.id ?? null, now)
    answerBeforeCommit(c)
    const pct = (x: number) => Math.round(x * 100)
    let main: Child = null
    const standing = reader ? await standingOf(db, quiz, reader.id) : undefined
    const fb = Number(c.req.query('fb'))
    const answered = standing && Number.isInteger(fb) ? standing.answers.get(fb) : undefined
    const feedback = answered ? <Notice text={feedbackText(t, quiz, fb, answered.correct)} kind={answered.correct ? 'ok' : 'warn'} /> : null
    const window = quizWindow(quiz, now)
    if (standing?.participant.completedAt || (standing && standing.next === null)) {
      main = (
        <>
          {feedback}
          <Notice text={scoreText(t, quiz, standing, fb >= 0 && fb === quiz.questions.length - 1 ? 'quiz.finished' : 'quiz.alreadyDone')} />
        </>
      )
    } else if (window === 'not_open') main = <Notice text={t('quiz.notOpen', { title: quiz.title, at: formatDateTime(quiz.opensAt, tz) })} kind="warn" />
    else if (window === 'closed') main = <Notice text={t('quiz.closed', { title: quiz.title, at: formatDateTime(quiz.closesAt, tz) })} kind="warn" />
    else if (reader && c.req.query('r') === 'not_for_you') main = <Notice text={t('quiz.notForYou')} kind="warn" />
    else if (reader && standing?.participant.startedAt && standing.next !== null) {
      const i = standing.next
      const q = quiz.questions[i]!
      main = (
        <>
          {feedback}
          <form method="post" action={`${publicPath('quiz', slug)}/answer`}>
            <Hidden c={c} token={token} />
            <input type="hidden" name="q" value={String(i)} />
            <fieldset>
              <legend>
                {t('page.quizQuestion', { number: i + 1, count: quiz.questions.length })}: {q.text}
              </legend>
              {q.options.map((o, j) => (
                <label class="option">
                  <input type="radio" name="o" value={String(j)} required /> {`${String.fromCharCode(65 + j)}. ${o}`}
                </label>
              ))}
            </fieldset>
            <button class="primary" type="submit">
              {t('page.quizAnswer')}
            </button>
          </form>
        </>
      )
    } else if (reader) {
      main = (
        <form method="post" action={`${publicPath('quiz', slug)}/start`}>
          <Hidden c={c} token={token} />
          <button class="primary" type="submit">
            {t('page.quizStart')}
          </button>
        </form>
      )
    }
    return page(
      c,
      quiz.title,
      <>
        <article>
          <h1>{quiz.title}</h1>
          <p>{t('page.quizIntro', { count: quiz.questions.length, pass: pct(quiz.passMark), closes: formatDateTime(quiz.closesAt, tz) })}</p>
        </article>
        <ErrorText t={t} c={c} />
        {main}
        <WhoBlock c={c} t={t} next={publicPath('quiz', slug)} reader={reader} error={identifyError(t, c)} />
      </>,
    )
  })

  app.post('/q/:slug/:step{start|answer}', async (c) => {
    const slug = c.req.param('slug')
    const form = await c.req.parseBody()
    const token = formToken(form)
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
