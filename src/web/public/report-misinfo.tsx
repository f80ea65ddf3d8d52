import type { Context, Hono } from 'hono'
import type { Child } from 'hono/jsx'
import { getCookie, setCookie } from 'hono/cookie'
import type { AppDeps } from '../../deps.js'
import { sniffImage } from '../../core/image-type.js'
import { attemptWindow, recordAttemptFailure } from '../../domain/attempts.js'
import { parseCaseCode } from '../../domain/misinformation/codes.js'
import { statusForReporter } from '../../domain/misinformation/claims.js'
import { fileReport, markCorrectionSent, MAX_IMAGE_BYTES, type StoredImage } from '../../domain/misinformation/intake.js'
import { MAX_LINKS, MAX_REPORT_TEXT } from '../../domain/misinformation/schemas.js'
import { randomString, sha256Hex } from '../../crypto.js'
import { clientIp, isSecureRequest } from '../../http/client-ip.js'
import { formatDateTime, type Translate } from '../../i18n.js'
import { CsrfField, Layout } from '../layout.js'
import { pageText } from '../locale.js'
import { Notice, Paragraphs } from './phone.js'
import type { AppEnv } from '../../http/env.js'

/** The form's path, its lookup, and the largest body it takes (a 5 MB image and the fields). */
export const REPORT_PATH = '/phan-anh'
export const LOOKUP_PATH = '/phan-anh/tra-cuu'
export const MAX_REPORT_BODY_BYTES = 6 * 1024 * 1024
/** The browser's lookup secret (the same for every report sent from it), so its case code alone finds them. */
const SECRET_COOKIE = 'loa_phan_anh'
const SECRET_ALPHABET = 'ABCDEFGHJKMNPQRSTVWXYZ23456789'
const MAX_CONTACT = 200
/** Reports one address may send in an hour; wrong lookups it may make in an hour. */
const REPORTS_PER_HOUR = 20
const LOOKUPS_PER_HOUR = 10

/** The form as posted, checked: what to say is wrong, and the photo's bytes and type when it is one. */
async function readReport(c: Context, t: Translate, media: boolean) {
  const body = await c.req.parseBody()
  const str = (name: string) => (typeof body[name] === 'string' ? (body[name] as string).trim() : '')
  const draft: Draft = { text: str('text'), links: str('links'), contact: str('contact'), consent: str('consent') === 'on' }
  const links = draft.links.split(/\s+/).filter(Boolean)
  const errors: string[] = []
  if (!draft.text && links.length === 0) errors.push(t('misinfoPage.errors.empty'))
  if (draft.text.length > MAX_REPORT_TEXT) errors.push(t('misinfoPage.errors.textTooLong', { max: MAX_REPORT_TEXT }))
  if (links.length > MAX_LINKS) errors.push(t('misinfoPage.errors.tooManyLinks', { max: MAX_LINKS }))
  if (draft.contact.length > MAX_CONTACT) errors.push(t('misinfoPage.errors.contactTooLong', { max: MAX_CONTACT }))
  if (draft.contact && !draft.consent) errors.push(t('misinfoPage.errors.contactNoConsent'))
  // The image: only where images are kept; its type from its bytes, at most 5 MB.
  const file = media && body.photo instanceof File && body.photo.size > 0 ? body.photo : null
  let photo: { bytes: Uint8Array; mime: string } | null = null
  if (file && file.size > MAX_IMAGE_BYTES) errors.push(t('misinfoPage.errors.tooLarge'))
  else if (file) {
    const bytes = new Uint8Array(await file.arrayBuffer())
    const mime = sniffImage(bytes)
    if (mime) photo = { bytes, mime }
    else errors.push(t('misinfoPage.errors.notImage'))
  }
  return { draft, links, errors, photo }
}

/** The answer to a filed report: its code and the browser's secret, and the correction when there is one. */
function Filed({ t, code, secret, joined, correction }: { t: Translate; code: string; secret: string; joined: boolean; correction: string | null }) {
  return (
    <>
      <h1>{t('misinfoPage.done.title')}</h1>
      <div class="card" data-filed={code}>
        <p>{t('misinfoPage.done.code')}</p>
        <p class="big" data-code>
          <strong>{code}</strong>
        </p>
        <p>{t('misinfoPage.done.secret')}</p>
        <p class="big" data-secret>
          <strong>{secret}</strong>
        </p>
        <p>{t('misinfoPage.done.keep', { url: LOOKUP_PATH })}</p>
      </div>
      {joined && <Notice text={t('misinfoPage.done.joined')} />}
      {correction && (
        <div class="card" data-correction>
          <p>
            <strong>{t('misinfoPage.done.correction')}</strong>
          </p>
          <Paragraphs text={correction} />
        </div>
      )}
      <p>
        <a href={`${LOOKUP_PATH}?ma=${encodeURIComponent(code)}`}>{t('misinfoPage.done.lookup')}</a> · <a href={REPORT_PATH}>{t('misinfoPage.done.another')}</a>
      </p>
    </>
  )
}

const page = (c: Context, title: string, body: Child, status: 200 | 201 | 403 | 422 | 429 = 200) =>
  c.html(
    <Layout c={c} title={title} phone>
      {body}
    </Layout>,
    status,
  )

interface Draft {
  text: string
  links: string
  contact: string
  consent: boolean
}

function ReportForm({ c, t, media, draft, errors }: { c: Context; t: Translate; media: boolean; draft?: Draft; errors?: string[] }) {
  return (
    <>
      <h1>{t('misinfoPage.title')}</h1>
      <p>{t('misinfoPage.intro')}</p>
      {errors && errors.length > 0 && (
        <div role="alert" class="notice error" id="form-errors">
          <p>{t('misinfoPage.errors.fix')}</p>
          <ul>
            {errors.map((e) => (
              <li>{e}</li>
            ))}
          </ul>
        </div>
      )}
      <form method="post" action={REPORT_PATH} class="card stack" enctype={media ? 'multipart/form-data' : undefined}>
        <CsrfField c={c} />
        <div>
          <label for="text">{t('misinfoPage.text')}</label>
          <textarea id="text" name="text" rows={6} maxlength={MAX_REPORT_TEXT} aria-describedby="text-hint">
            {draft?.text ?? ''}
          </textarea>
          <p class="hint" id="text-hint">
            {t('misinfoPage.textHint', { max: MAX_REPORT_TEXT })}
          </p>
        </div>
        <div>
          <label for="links">{t('misinfoPage.links')}</label>
          <textarea id="links" name="links" rows={3} inputmode="url">
            {draft?.links ?? ''}
          </textarea>
        </div>
        {media ? (
          <div>
            <label for="photo">{t('misinfoPage.photo')}</label>
            <input id="photo" name="photo" type="file" accept="image/jpeg,image/png,image/webp,image/gif" aria-describedby="photo-hint" />
            <p class="hint" id="photo-hint">
              {t('misinfoPage.photoHint')}
            </p>
          </div>
        ) : (
          <p class="hint">{t('misinfoPage.noPhoto')}</p>
        )}
        <fieldset>
          <legend>{t('misinfoPage.contactTitle')}</legend>
          <label for="contact">{t('misinfoPage.contact')}</label>
          <input id="contact" name="contact" type="text" autocomplete="tel" maxlength={MAX_CONTACT} value={draft?.contact ?? ''} />
          <div class="option">
            <input type="checkbox" id="consent" name="consent" value="on" checked={draft?.consent ?? false} />
            <label for="consent">{t('misinfoPage.consent')}</label>
          </div>
          <p class="hint">{t('misinfoPage.privacy')}</p>
        </fieldset>
        <button class="primary" type="submit">
          {t('misinfoPage.submit')}
        </button>
      </form>
      <p>
        <a href={LOOKUP_PATH}>{t('misinfoPage.lookupLink')}</a>
      </p>
    </>
  )
}

function LookupForm({ c, t, code, error }: { c: Context; t: Translate; code?: string; error?: string }) {
  return (
    <form method="post" action={LOOKUP_PATH} class="card stack">
      <CsrfField c={c} />
      {error && (
        <p class="notice error" role="alert">
          {error}
        </p>
      )}
      <div>
        <label for="code">{t('misinfoPage.lookup.code')}</label>
        <input id="code" name="code" type="text" required maxlength={20} autocapitalize="characters" value={code ?? ''} />
      </div>
      <div>
        <label for="secret">{t('misinfoPage.lookup.secret')}</label>
        <input id="secret" name="secret" type="text" maxlength={40} autocapitalize="characters" autocomplete="off" aria-describedby="secret-hint" />
        <p class="hint" id="secret-hint">
          {t('misinfoPage.lookup.secretHint')}
        </p>
      </div>
      <button class="primary" type="submit">
        {t('misinfoPage.lookup.submit')}
      </button>
    </form>
  )
}

/**
 * The public misinformation form (issue 23): /phan-anh takes text, links, an image (only where a
 * media store keeps images: Node) and an optional contact given with consent; it answers with the
 * case code and a secret. /phan-anh/tra-cuu shows a case's status to its reporter only: the code
 * with that secret, or from the browser that sent it (its secret is kept in an httpOnly cookie).
 */
export function reportMisinfoRoutes(app: Hono<AppEnv>, deps: AppDeps) {
  const { db } = deps
  const tz = deps.config.timezone

  app.get(REPORT_PATH, (c) => {
    const { t } = pageText(c)
    return page(c, t('misinfoPage.title'), <ReportForm c={c} t={t} media={deps.media !== undefined} />)
  })

  app.post(REPORT_PATH, async (c) => {
    const { t } = pageText(c)
    const now = deps.clock()
    const ipKey = `misinfo-report:${clientIp(c) ?? 'unknown'}`
    const seen = await attemptWindow(db, ipKey, now)
    if (seen && seen.failures >= REPORTS_PER_HOUR) {
      return page(c, t('misinfoPage.title'), <Notice kind="warn" text={t('misinfoPage.errors.tooMany')} />, 429)
    }
    const { draft, links, errors, photo } = await readReport(c, t, deps.media !== undefined)
    if (errors.length) {
      return page(c, t('misinfoPage.title'), <ReportForm c={c} t={t} media={deps.media !== undefined} draft={draft} errors={errors} />, 422)
    }
    let image: StoredImage | null = null
    if (photo && deps.media) {
      const kept = await deps.media.put(photo.bytes, photo.mime)
      image = { sha256: kept.sha256, mime: photo.mime, size: kept.size }
    }
    // One secret a browser: every report it sends can be looked up with it (or with its cookie).
    const existing = getCookie(c, SECRET_COOKIE)
    const secret = existing && /^[A-Z2-9]{12}$/.test(existing) ? existing : randomString(12, SECRET_ALPHABET)
    // A contact is kept only with consent, beside the report (emptied after the claim closes).
    const filed = await fileReport(
      db,
      { channel: 'web', text: draft.text, links, reporter: { kind: 'web', tokenHash: await sha256Hex(secret) }, consent: draft.consent && !!draft.contact, contact: draft.contact || null, image, now },
      { similarity: deps.config.misinfoSimilarity },
    )
    await recordAttemptFailure(db, ipKey, now)
    setCookie(c, SECRET_COOKIE, secret, { path: REPORT_PATH, httpOnly: true, sameSite: 'Strict', secure: isSecureRequest(c), maxAge: 365 * 86400 })
    const correction = filed.claim.correctionText
    if (correction) await markCorrectionSent(db, filed.report.id, now)
    return page(c, t('misinfoPage.done.title'), <Filed t={t} code={filed.report.code} secret={secret} joined={filed.joined} correction={correction} />, 201)
  })

  const lookupPage = (c: Context, body: Child, status: 200 | 403 | 422 | 429 = 200) => {
    const { t } = pageText(c)
    return page(
      c,
      t('misinfoPage.lookup.title'),
      <>
        <h1>{t('misinfoPage.lookup.title')}</h1>
        <p>{t('misinfoPage.lookup.intro')}</p>
        {body}
        <p>
          <a href={REPORT_PATH}>{t('misinfoPage.lookup.back')}</a>
        </p>
      </>,
      status,
    )
  }

  const statusBlock = (t: Translate, found: NonNullable<Awaited<ReturnType<typeof statusForReporter>>>) => (
    <div class="card" data-status={found.status} data-code={found.code}>
      <h2>{t('misinfoPage.lookup.status', { code: found.code, at: formatDateTime(found.receivedAt, tz) })}</h2>
      <p>{t(`misinfoPage.statuses.${found.status}`)}</p>
      {found.correctionText && (
        <>
          <p>
            <strong>{t('misinfoPage.lookup.correction')}</strong>
          </p>
          <Paragraphs text={found.correctionText} />
        </>
      )}
    </div>
  )

  // From the browser that sent it, ?ma=<code> shows the status at once (its cookie is the secret).
  app.get(LOOKUP_PATH, async (c) => {
    const { t } = pageText(c)
    const code = parseCaseCode(c.req.query('ma') ?? '')
    const cookie = getCookie(c, SECRET_COOKIE)
    const found = code && cookie ? await statusForReporter(db, code, { kind: 'web', tokenHash: await sha256Hex(cookie) }) : null
    return lookupPage(
      c,
      <>
        {found && statusBlock(t, found)}
        <LookupForm c={c} t={t} code={code ?? ''} />
      </>,
    )
  })

  app.post(LOOKUP_PATH, async (c) => {
    const { t } = pageText(c)
    const now = deps.clock()
    const ipKey = `misinfo-lookup:${clientIp(c) ?? 'unknown'}`
    const seen = await attemptWindow(db, ipKey, now, 'last')
    if (seen && seen.failures >= LOOKUPS_PER_HOUR) return lookupPage(c, <Notice kind="warn" text={t('misinfoPage.lookup.tooMany')} />, 429)
    const body = await c.req.parseBody()
    const typed = typeof body.code === 'string' ? body.code.trim() : ''
    const given = typeof body.secret === 'string' ? body.secret.trim().toUpperCase().replace(/[\s-]/g, '') : ''
    const secret = given || getCookie(c, SECRET_COOKIE) || ''
    const code = parseCaseCode(typed)
    const found = code && secret ? await statusForReporter(db, code, { kind: 'web', tokenHash: await sha256Hex(secret) }) : null
    if (!found) {
      await recordAttemptFailure(db, ipKey, now, 'last')
      return lookupPage(c, <LookupForm c={c} t={t} code={typed.slice(0, 20)} error={t('misinfoPage.lookup.notFound')} />, 422)
    }
    return lookupPage(
      c,
      <>
        {statusBlock(t, found)}
        <LookupForm c={c} t={t} code={found.code} />
      </>,
    )
  })
}
