import type { Context, Hono } from 'hono'
import { deleteCookie, getCookie, setCookie } from 'hono/cookie'
import { z } from 'zod'
import type { SubscriberRow } from '#db/schema/index.js'
import type { AppDeps } from '../../deps.js'
import { botView } from '../../domain/channel-admin.js'
import { zaloContact } from '../../domain/directory/zalo-contact.js'
import { openPollsForWard } from '../../domain/polls/web.js'
import { eraseSubscriber, wards } from '../../domain/subscribers.js'
import { ensurePublicLink, publicPath } from '../../domain/web/public-slugs.js'
import { followOnWeb, wardByCode, webSubscriberOf } from '../../domain/web/web-subscribers.js'
import { AppError } from '../../errors.js'
import { clientIp } from '../../http/client-ip.js'
import type { AppEnv } from '../../http/env.js'
import { formatDateTime, type Translate } from '../../i18n.js'
import { CsrfField } from '../layout.js'
import { pageText } from '../locale.js'
import { Notice, phonePage } from './phone.js'

/** The cookie that carries a web subscriber's random token (only its hash is stored). */
export const SUBSCRIBER_COOKIE = 'loa_sub'
/** Browsers keep a cookie at most 400 days; the subscriber is erased sooner when silent (retention). */
const LONG = 400 * 86_400
/** Where a visitor sent here by a poll's page goes back to once they follow. */
const NEXT_PATH = /^\/t\/[A-Z0-9]{6}$/

export const FOLLOW_PATH = '/theo-doi'

/** The web subscriber this phone is (its cookie), seen now; null for a phone that does not follow. */
export const webSubscriberOfRequest = (deps: AppDeps, c: Context) => webSubscriberOf(deps.db, getCookie(c, SUBSCRIBER_COOKIE), deps.clock())

const followForm = z.object({
  ward: z.string().trim().min(1, 'wardMissing').max(40),
  consent: z.literal('on', { error: 'consentMissing' }),
  next: z.string().optional(),
})

type Outcome = { kind: 'ok' | 'warn'; text: string }

/**
 * /theo-doi (issue 23): a phone follows a ward with its consent and becomes a subscriber on the web
 * (channel 'web'), known by a random token in an HttpOnly, Secure, SameSite=Lax cookie; the page then
 * lists the ward's open polls (their pages at /t/<slug>), how to follow in Zalo or Telegram, and
 * "stop following and erase my data". No script; the form carries the pages' CSRF token.
 */
export function followRoutes(app: Hono<AppEnv>, deps: AppDeps) {
  app.get(FOLLOW_PATH, async (c) => {
    const { t } = pageText(c)
    const me = await webSubscriberOfRequest(deps, c)
    const r = c.req.query('r')
    const outcome: Outcome | null =
      r === 'erased' ? { kind: 'ok', text: t('subscribers.web.erased') } : r === 'nothing' ? { kind: 'warn', text: t('subscribers.web.nothingToErase') } : null
    return followPage(c, deps, me, outcome)
  })

  app.post(FOLLOW_PATH, async (c) => {
    const { t, locale } = pageText(c)
    const form = await c.req.parseBody()
    const me = await webSubscriberOfRequest(deps, c)
    const parsed = followForm.safeParse(form)
    if (!parsed.success) {
      const key = parsed.error.issues.some((i) => i.path[0] === 'consent') ? 'consentMissing' : 'wardMissing'
      return followPage(c, deps, me, { kind: 'warn', text: t(`subscribers.web.${key}`) }, 400, form)
    }
    let ward
    try {
      ward = await wardByCode(deps.db, parsed.data.ward)
    } catch (err) {
      if (!(err instanceof AppError)) throw err
      return followPage(c, deps, me, { kind: 'warn', text: t('subscribers.web.unknownWard', { ward: parsed.data.ward.slice(0, 40) }) }, 422, form)
    }
    const followed = await followOnWeb(deps.db, { existing: me, wardUnitId: ward.id, locale, ip: clientIp(c) ?? 'unknown', now: deps.clock() })
    if ('throttled' in followed) {
      return followPage(c, deps, me, { kind: 'warn', text: t('subscribers.web.throttled', { time: formatDateTime(followed.throttled, deps.config.timezone) }) }, 429, form)
    }
    const { token } = followed
    if (token) setCookie(c, SUBSCRIBER_COOKIE, token, { path: '/', httpOnly: true, secure: true, sameSite: 'Lax', maxAge: LONG })
    const next = parsed.data.next && NEXT_PATH.test(parsed.data.next) ? parsed.data.next : `${FOLLOW_PATH}?r=followed`
    return c.redirect(next, 303)
  })

  app.post(`${FOLLOW_PATH}/xoa`, async (c) => {
    const me = await webSubscriberOfRequest(deps, c)
    if (me) await eraseSubscriber(deps.db, me.id)
    deleteCookie(c, SUBSCRIBER_COOKIE, { path: '/', secure: true })
    return c.redirect(`${FOLLOW_PATH}?r=${me ? 'erased' : 'nothing'}`, 303)
  })
}

async function followPage(c: Context, deps: AppDeps, me: SubscriberRow | null, outcome: Outcome | null, status: 200 | 400 | 422 | 429 = 200, posted?: Record<string, unknown>) {
  const { t } = pageText(c)
  const all = await wards(deps.db)
  const mine = me?.wardUnitId != null ? all.find((w) => w.id === me.wardUnitId) : undefined
  const next = typeof posted?.next === 'string' ? posted.next : c.req.query('next')
  const chosen = typeof posted?.ward === 'string' ? posted.ward : mine?.code
  const followed = c.req.query('r') === 'followed' && mine
  const body = (
    <>
      <h1>{t('subscribers.web.title')}</h1>
      {outcome && <Notice kind={outcome.kind} text={outcome.text} />}
      {followed && <Notice text={t('subscribers.web.followed', { ward: mine.name })} />}
      {!me && next && NEXT_PATH.test(next) && <Notice kind="warn" text={t('subscribers.web.firstFollow')} />}
      {mine && !followed && <p class="card">{t('subscribers.web.following', { ward: mine.name })}</p>}
      {mine && me?.optedInAt && (await PollList({ deps, t, wardUnitId: mine.id, wardName: mine.name }))}
      <form method="post" action={FOLLOW_PATH} class="card stack">
        <CsrfField c={c} />
        {next && NEXT_PATH.test(next) && <input type="hidden" name="next" value={next} />}
        {!me && <p>{t('subscribers.web.intro')}</p>}
        <div>
          <label for="ward">{t('subscribers.web.wardLabel')}</label>
          <select id="ward" name="ward" required>
            <option value="">{t('subscribers.web.wardPick')}</option>
            {all.map((w) => (
              <option value={w.code} selected={w.code === chosen}>
                {w.name}
              </option>
            ))}
          </select>
        </div>
        <p id="privacy">{t('subscribers.web.privacy', { days: deps.config.subscriberRetentionDays })}</p>
        <label class="check">
          <input type="checkbox" name="consent" value="on" required aria-describedby="privacy" />
          {t('subscribers.web.consentLabel')}
        </label>
        <button class="primary" type="submit">
          {me ? t('subscribers.web.change') : t('subscribers.web.submit')}
        </button>
      </form>
      {await ChatLinks({ deps, t })}
      {me && (
        <form method="post" action={`${FOLLOW_PATH}/xoa`} class="card">
          <h2>{t('subscribers.web.eraseTitle')}</h2>
          <p>{t('subscribers.web.eraseHelp')}</p>
          <CsrfField c={c} />
          <button class="danger" type="submit">
            {t('subscribers.web.erase')}
          </button>
        </form>
      )}
    </>
  )
  c.header('Cache-Control', 'private, no-store')
  return phonePage(c, t('subscribers.web.title'), body, status)
}

/** The ward's open polls, each a link to its page. */
async function PollList({ deps, t, wardUnitId, wardName }: { deps: AppDeps; t: Translate; wardUnitId: number; wardName: string }) {
  const now = deps.clock()
  const open = await openPollsForWard(deps.db, wardUnitId, now)
  const items = await Promise.all(open.map(async (p) => ({ p, href: publicPath('poll', await ensurePublicLink(deps.db, 'poll', p.id, now)) })))
  return (
    <section class="card" aria-labelledby="polls-title">
      <h2 id="polls-title">{t('subscribers.web.pollsTitle', { ward: wardName })}</h2>
      {items.length === 0 ? (
        <p>{t('subscribers.web.noPolls')}</p>
      ) : (
        <ul>
          {items.map(({ p, href }) => (
            <li>
              <a href={href}>{p.title}</a> ({t('subscribers.web.pollCloses', { at: formatDateTime(p.closesAt, deps.config.timezone) })})
            </li>
          ))}
        </ul>
      )}
    </section>
  )
}

/** How to follow in the messengers: the Telegram bot's deep link, the Zalo OA's or bot's link where there is one. */
async function ChatLinks({ deps, t }: { deps: AppDeps; t: Translate }) {
  // Start in the bot opens the choice of a ward (handlers/start.ts); without a known username, the bot's own link.
  const telegram = deps.channels.telegram ? (deps.channels.telegram.deepLink?.('dangky') ?? botView(deps, 'telegram').link) : null
  const zalo = await zaloContact(deps, deps.clock()).catch(() => null)
  const zaloLink = zalo?.link ?? null
  return (
    <section class="card" aria-labelledby="chat-title">
      <h2 id="chat-title">{t('subscribers.web.chatTitle')}</h2>
      {telegram || zaloLink ? (
        <>
          <p>{t('subscribers.web.chatHelp')}</p>
          <ul>
            {telegram && (
              <li>
                <a href={telegram}>{t('subscribers.web.telegram')}</a>
              </li>
            )}
            {zaloLink && (
              <li>
                <a href={zaloLink}>{t('subscribers.web.zalo')}</a>
              </li>
            )}
          </ul>
        </>
      ) : (
        <p>{t('subscribers.web.noChat')}</p>
      )}
    </section>
  )
}
