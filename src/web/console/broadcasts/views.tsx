import { Hono, type Context } from 'hono'
import { NoMessenger } from '../home/channel-alerts.js'
import type { BroadcastKind } from '../../../../db/schema/index.js'
import type { MessengerName } from '../../../core/events.js'
import type { AppDeps } from '../../../deps.js'
import { roleAllows } from '../../../domain/console/sessions.js'
import { requiredRole } from '../../../http/access.js'
import { broadcastInputSchema, broadcastKinds } from '../../../domain/broadcast/schemas.js'
import { previewBroadcast, type PreviewMessage } from '../../../domain/broadcast/render.js'
import {
  broadcastStats,
  createBroadcast,
  getBroadcast,
  listBroadcasts,
  previewAudience,
  remindUnacknowledged,
  unacknowledgedByUnit,
  type AudienceCounts,
  type BroadcastRow,
} from '../../../domain/broadcast/service.js'
import { listUnits } from '../../../domain/directory/units.js'
import { publicPath } from '../../../domain/web/links.js'
import type { Audience } from '../../../domain/audience.js'
import { sha256Hex } from '../../../crypto.js'
import { AppError } from '../../../errors.js'
import { formatDateTime, type Translate } from '../../../i18n.js'
import { CsrfField, Layout } from '../../layout.js'
import { pageText } from '../../locale.js'
import { accountOf } from '../auth.js'
import { CreateAction } from '../create-action.js'
import { AudienceFields, audienceKey, DateTimeFields, dateTimeValue, ErrorList, errorMessages, readAudience, readDateTime, readForm, validate, type FormData } from '../forms.js'
import { PublicLinkCard } from '../../public-link.js'
import { offeredPlatforms } from '../platforms.js'
import { BroadcastReach } from './reach.js'
import { BroadcastUnitTable } from './units.js'
import { DownloadLinks } from '../downloads.js'
import { MAX_QUERY_OFFSET, queryInt } from '../../form.js'
import { composeDraftOf, contentFields, draftIdOf, draftRoutes, DuplicateForm, saveDraftFromForm, type ComposeDraft } from './drafts.js'

const PAGE_SIZE = 50

/** Reminders need what the API's `POST /broadcasts/:id/remind` needs: one rule for both (src/http/access.ts). */
const REMIND_ROLE = requiredRole('POST', '/broadcasts/*/remind')

function canEdit(c: Context) {
  return roleAllows(accountOf(c).role, 'editor')
}

function idOf(c: Context): number {
  const id = Number(c.req.param('id'))
  if (!Number.isSafeInteger(id) || id <= 0) throw new AppError('not_found', 'api.errors.noBroadcast', { id: c.req.param('id') ?? '' })
  return id
}

type Draft = ComposeDraft

const emptyDraft = (): Draft => ({
  kind: 'announcement',
  title: '',
  body: '',
  link: '',
  imageUrl: '',
  requireAck: true,
  audience: { unitCodes: [], includeSubunits: true, unitKinds: [], roles: [], platforms: [] },
  when: 'now',
  scheduled: { date: '', time: '' },
})

function readDraft(form: FormData): Draft {
  const kind = form.get('kind')
  return {
    kind: (broadcastKinds as readonly string[]).includes(kind) ? (kind as BroadcastKind) : 'announcement',
    title: form.get('title'),
    body: form.get('body'),
    link: form.get('link'),
    imageUrl: form.get('imageUrl'),
    requireAck: form.get('requireAck') === 'on',
    audience: readAudience(form),
    when: form.get('when') === 'later' ? 'later' : 'now',
    scheduled: dateTimeValue(form, 'scheduled'),
  }
}

interface Preview {
  counts: AudienceCounts
  messages: Record<MessengerName, PreviewMessage[]>
  /** What the send button commits to: the audience and time that were counted. */
  checked: string
  scheduledAt: Date | null
}

/** The announcements: list, compose with a count and a preview, send or schedule, follow, remind, cancel. */
export function broadcastPages(deps: AppDeps) {
  const app = new Hono()
  const { db } = deps
  const zone = deps.config.timezone
  /** Each recipient's message carries their own signed link to the brief's page when PUBLIC_URL is set; the preview shows its shape. */
  const pageLinkExample = deps.config.publicUrl ? `${deps.config.publicUrl}${publicPath('broadcast', '…')}?p=…` : undefined

  app.get('/admin/broadcasts', async (c) => {
    const { t } = pageText(c)
    const page = queryInt(c.req.query('page'), 1, MAX_QUERY_OFFSET / PAGE_SIZE)
    const { total, items } = await listBroadcasts(db, { limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE })
    return c.html(
      <Layout c={c} title={t('consoleContent.broadcasts.title')}>
        <h1>{t('consoleContent.broadcasts.title')}</h1>
        <CreateAction c={c} href="/admin/broadcasts/new" label={t('consoleContent.broadcasts.compose')} />
        {items.length === 0 ? (
          <p>{t('consoleContent.broadcasts.empty')}</p>
        ) : (
          <div class="table-wrap" tabindex={0}>
            <table>
              <thead>
                <tr>
                  <th scope="col">{t('consoleContent.broadcasts.colTitle')}</th>
                  <th scope="col">{t('consoleContent.broadcasts.colKind')}</th>
                  <th scope="col">{t('consoleContent.broadcasts.colStatus')}</th>
                  <th scope="col">{t('consoleContent.broadcasts.colWhen')}</th>
                  <th scope="col" class="num">
                    {t('consoleContent.broadcasts.colRecipients')}
                  </th>
                  <th scope="col" class="num">
                    {t('consoleContent.broadcasts.colAcked')}
                  </th>
                </tr>
              </thead>
              <tbody>
                {items.map((b) => (
                  <tr data-broadcast={b.id}>
                    <th scope="row">
                      <a href={`/admin/broadcasts/${b.id}`}>{b.title}</a>
                    </th>
                    <td>{t(`consoleContent.broadcasts.kind.${b.kind}`)}</td>
                    <td>
                      <StatusBadge t={t} status={b.status} />
                    </td>
                    <td>{b.status === 'draft' ? '—' : formatDateTime(new Date(b.scheduledAt), zone)}</td>
                    <td class="num">{b.recipients}</td>
                    <td class="num">{b.requireAck ? b.acknowledged : '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {total > page * PAGE_SIZE && (
          <p>
            <a href={`/admin/broadcasts?page=${page + 1}`}>→ {page + 1}</a>
          </p>
        )}
      </Layout>,
    )
  })

  const composePage = async (c: Context, draft: Draft, opts: { errors?: string[]; preview?: Preview | null; notice?: string; status?: 200 | 400 | 409 | 422; draftId?: number } = {}) => {
    const { t } = pageText(c)
    const units = await listUnits(db)
    const preview = opts.preview
    const heading = opts.draftId ? t('consoleContent.broadcasts.draftTitle', { id: opts.draftId }) : t('consoleContent.broadcasts.newTitle')
    return c.html(
      <Layout c={c} title={heading}>
        {opts.draftId && (
          <p>
            <a href="/admin/broadcasts">← {t('consoleContent.broadcasts.title')}</a>
          </p>
        )}
        <h1>{heading}</h1>
        {Object.keys(deps.channels).length === 0 && <NoMessenger c={c} />}
        <ErrorList t={t} errors={opts.errors ?? []} />
        {opts.notice && (
          <p role="status" class="notice warn">
            {opts.notice}
          </p>
        )}
        <form method="post" action="/admin/broadcasts/new" class="stack" novalidate>
          <CsrfField c={c} />
          {opts.draftId && <input type="hidden" name="draftId" value={String(opts.draftId)} />}
          <div>
            <label for="kind">{t('consoleContent.broadcasts.fieldKind')}</label>
            <select id="kind" name="kind">
              {broadcastKinds.map((k) => (
                <option value={k} selected={draft.kind === k}>
                  {t(`consoleContent.broadcasts.kind.${k}`)}
                </option>
              ))}
            </select>
          </div>
          <div>
            <label for="title">{t('consoleContent.broadcasts.fieldTitle')}</label>
            <input type="text" id="title" name="title" value={draft.title} maxlength={200} required />
          </div>
          <div>
            <label for="body">{t('consoleContent.broadcasts.fieldBody')}</label>
            <textarea id="body" name="body" required>
              {draft.body}
            </textarea>
          </div>
          <div>
            <label for="link">{t('consoleContent.broadcasts.fieldLink')}</label>
            <input type="url" id="link" name="link" value={draft.link} placeholder="https://" />
          </div>
          <div>
            <label for="imageUrl">{t('consoleContent.broadcasts.fieldImage')}</label>
            <input type="url" id="imageUrl" name="imageUrl" value={draft.imageUrl} placeholder="https://" />
          </div>
          <label class="check">
            <input type="checkbox" name="requireAck" checked={draft.requireAck} /> {t('consoleContent.broadcasts.fieldAck')}
          </label>
          <AudienceFields t={t} units={units} value={draft.audience} counts={preview?.counts} platforms={offeredPlatforms(deps, draft.audience.platforms)} />
          <fieldset class="card">
            <legend>{t('consoleContent.broadcasts.whenLegend')}</legend>
            <label class="check">
              <input type="radio" name="when" value="now" checked={draft.when === 'now'} /> {t('consoleContent.broadcasts.sendNow')}
            </label>
            <label class="check">
              <input type="radio" name="when" value="later" checked={draft.when === 'later'} /> {t('consoleContent.broadcasts.sendLater')}
            </label>
            <DateTimeFields t={t} name="scheduled" legend={t('consoleContent.broadcasts.scheduledAt')} value={draft.scheduled} zone={zone} />
          </fieldset>
          {preview && <input type="hidden" name="checked" value={preview.checked} />}
          <div class="actions">
            <button type="submit" name="action" value="preview" class={preview ? 'secondary' : undefined}>
              {t('consoleContent.broadcasts.previewButton')}
            </button>
            <button type="submit" name="action" value="draft" class="secondary">
              {t('consoleContent.broadcasts.draftButton')}
            </button>
            {preview && preview.counts.recipients > 0 && (
              <button type="submit" name="action" value="send">
                {preview.scheduledAt
                  ? t('consoleContent.broadcasts.scheduleButton', { recipients: preview.counts.recipients, time: formatDateTime(preview.scheduledAt, zone) })
                  : t('consoleContent.broadcasts.sendButton', { recipients: preview.counts.recipients })}
              </button>
            )}
          </div>
          {!preview && <p class="hint">{t('consoleContent.broadcasts.previewHint')}</p>}
          {preview && preview.counts.recipients === 0 && (
            <p role="alert" class="notice warn">
              {t('consoleContent.broadcasts.nobody')}
            </p>
          )}
        </form>
        {preview && (
          <>
            <h2>{t('consoleContent.broadcasts.message')}</h2>
            <MessagePreview t={t} messages={preview.messages} />
          </>
        )}
        {opts.draftId && canEdit(c) && <DuplicateForm c={c} id={opts.draftId} />}
      </Layout>,
      opts.status ?? 200,
    )
  }

  app.get('/admin/broadcasts/new', (c) => composePage(c, emptyDraft()))

  /**
   * One form, two buttons: "Xem trước" checks the fields, counts the audience and shows the
   * messages; "Gửi" sends what was previewed. A send whose audience or time changed since the
   * preview is shown again with the new count instead of being sent.
   */
  app.post('/admin/broadcasts/new', async (c) => {
    const { t, locale } = pageText(c)
    const form = await readForm(c)
    const draft = readDraft(form)
    const draftId = draftIdOf(form.get('draftId'))
    if (form.get('action') === 'draft') {
      const saved = await saveDraftFromForm(c, deps, draft, draftId, (path) => fieldLabel(t, path.split('.')[0]!))
      return saved instanceof Response ? saved : composePage(c, draft, { errors: saved.errors, status: 400, draftId })
    }
    const errors: string[] = []
    let scheduledAt: Date | null = null
    if (draft.when === 'later') {
      const at = readDateTime(t, form, 'scheduled', t('consoleContent.broadcasts.scheduledAt'), zone)
      if (at && 'error' in at) errors.push(at.error)
      else if (at) scheduledAt = at.at
    }
    const parsed = validate(
      c,
      broadcastInputSchema,
      { ...contentFields(draft), ...(scheduledAt ? { scheduledAt: scheduledAt.toISOString() } : {}) },
      (path) => fieldLabel(t, path.split('.')[0]!),
    )
    if ('errors' in parsed) errors.push(...parsed.errors)
    if (errors.length || !('data' in parsed)) return composePage(c, draft, { errors, status: 400, draftId })
    const input = parsed.data
    if (scheduledAt && scheduledAt.getTime() < deps.clock().getTime() - 5 * 60_000) {
      return composePage(c, draft, { errors: [t('api.errors.scheduledInPast')], status: 422, draftId })
    }
    // The send button commits to what was previewed: the audience, the time and the text.
    const checked = await sha256Hex(JSON.stringify([audienceKey(input.audience), scheduledAt?.toISOString() ?? 'now', input.kind, input.title, input.body, input.link ?? '', input.imageUrl ?? '', input.requireAck]))
    const preview = async (): Promise<Preview> => ({
      counts: await previewAudience(db, input.audience),
      messages: previewBroadcast({ id: 0, kind: input.kind, title: input.title, body: input.body, link: input.link ?? null, imageUrl: input.imageUrl ?? null, requireAck: input.requireAck }, locale, pageLinkExample),
      checked,
      scheduledAt,
    })
    try {
      if (form.get('action') !== 'send') return composePage(c, draft, { preview: await preview(), draftId })
      if (form.get('checked') !== checked) return composePage(c, draft, { preview: await preview(), notice: t('consoleContent.broadcasts.changed'), draftId })
      const { broadcast } = await createBroadcast(db, input, {
        now: deps.clock(),
        createdBy: accountOf(c).personId,
        horizonMs: deps.config.deliveryHorizonHours * 3_600_000,
        ...(draftId ? { draftId } : {}),
      })
      return c.redirect(`/admin/broadcasts/${broadcast.id}?done=created`, 303)
    } catch (err) {
      const messages = errorMessages(c, err, (p) => fieldLabel(t, p.split('.')[0]!))
      if (!messages) throw err
      return composePage(c, draft, { errors: messages, status: err instanceof AppError && err.code === 'conflict' ? 409 : 422, draftId })
    }
  })

  app.get('/admin/broadcasts/:id', async (c) => {
    const { t, locale } = pageText(c)
    const id = idOf(c)
    const b = await getBroadcast(db, id)
    if (!b) throw new AppError('not_found', 'api.errors.noBroadcast', { id })
    if (b.status === 'draft') return composePage(c, composeDraftOf(b), { draftId: b.id, notice: flash(t, c) ?? t('consoleContent.broadcasts.draftNotice') })
    const [{ totals, failedBy }, pending] = await Promise.all([broadcastStats(db, id), unacknowledgedByUnit(db, id)])
    const editor = canEdit(c)
    const canRemind = roleAllows(accountOf(c).role, REMIND_ROLE)
    const sending = b.status === 'sending'
    const pendingAll = [...pending.values()].reduce((n, list) => n + list.length, 0)
    const notice = flash(t, c)
    const remindable = b.requireAck && b.expandedAt && b.status !== 'cancelled'
    return c.html(
      <Layout c={c} title={t('consoleContent.broadcasts.detailTitle', { id })} liveSeconds={sending ? 5 : undefined}>
        <p>
          <a href="/admin/broadcasts">← {t('consoleContent.broadcasts.title')}</a>
        </p>
        <h1>
          {t('consoleContent.broadcasts.detailTitle', { id })}: {b.title}
        </h1>
        {notice && (
          <p role="status" class="notice ok" id="flash">
            {notice}
          </p>
        )}
        {b.status === 'scheduled' && <p class="notice">{t('consoleContent.broadcasts.scheduledNotice', { time: formatDateTime(b.scheduledAt, zone) })}</p>}
        {sending && <p class="hint">{t('consoleContent.broadcasts.refreshing')}</p>}
        <PublicLinkCard c={c} deps={deps} kind="broadcast" itemId={b.id} />
        <BroadcastFacts t={t} b={b} recipients={totals.recipients} zone={zone} />
        {b.expandedAt && <BroadcastProgress t={t} totals={totals} failedBy={failedBy} requireAck={b.requireAck} />}
        {editor && (b.status === 'scheduled' || b.status === 'sending') && (
          <form method="get" action={`/admin/broadcasts/${id}/cancel`} class="actions">
            <button type="submit" class="danger">
              {t('consoleContent.broadcasts.cancel')}
            </button>
          </form>
        )}
        {b.expandedAt && (
          <section aria-labelledby="by-unit" id="by-unit-section" data-live>
            <h2 id="by-unit">{t('consoleContent.broadcasts.byUnit')}</h2>
            <DownloadLinks c={c} href={`/admin/broadcasts/${id}/download`} />
            {!b.requireAck && <p class="hint">{t('consoleContent.broadcasts.noAckAsked')}</p>}
            {canRemind && remindable && pendingAll > 0 && (
              <form method="post" action={`/admin/broadcasts/${id}/remind`} class="actions">
                <CsrfField c={c} />
                <button type="submit" class="secondary">
                  {t('consoleContent.broadcasts.remindAll', { n: pendingAll })}
                </button>
              </form>
            )}
            <BroadcastUnitTable c={c} db={db} broadcast={b} canRemind={canRemind} zone={zone} />
          </section>
        )}
        {b.expandedAt && <BroadcastReach c={c} deps={deps} broadcast={b} />}
        {editor && <DuplicateForm c={c} id={b.id} />}
        <h2>{t('consoleContent.broadcasts.message')}</h2>
        <MessagePreview t={t} messages={previewBroadcast(b, locale, pageLinkExample)} />
      </Layout>,
    )
  })

  app.post('/admin/broadcasts/:id/remind', async (c) => {
    const id = idOf(c)
    const form = await readForm(c)
    const b = await getBroadcast(db, id)
    if (!b) throw new AppError('not_found', 'api.errors.noBroadcast', { id })
    const unitCode = form.get('unitCode') || undefined
    const { people, queued } = await remindUnacknowledged(db, b, {
      unitCode,
      now: deps.clock(),
      timeZone: zone,
      horizonMs: deps.config.deliveryHorizonHours * 3_600_000,
    })
    return c.redirect(`/admin/broadcasts/${id}?done=reminded&people=${people}&queued=${queued}`, 303)
  })

  app.route('/', draftRoutes(deps))
  return app
}

function flash(t: Translate, c: Context): string | null {
  const done = c.req.query('done')
  if (done === 'created') return t('consoleContent.broadcasts.created')
  if (done === 'cancelled') return t('consoleContent.broadcasts.cancelled')
  if (done === 'draft') return t('consoleContent.broadcasts.draftSaved')
  if (done === 'duplicated') return t('consoleContent.broadcasts.duplicated', { id: Number(c.req.query('from')) || 0 })
  if (done === 'reminded') {
    const people = Number(c.req.query('people')) || 0
    const queued = Number(c.req.query('queued')) || 0
    return queued === 0 && people > 0 ? t('consoleContent.broadcasts.remindedAlready', { people }) : t('consoleContent.broadcasts.reminded', { people, queued })
  }
  return null
}

/** The audience in words: units (with or without those below), unit kinds, roles, platforms; or city-wide. */
function describeAudience(t: Translate, a: Partial<Audience>): string {
  const parts: string[] = []
  if (a.unitCodes?.length) parts.push(a.unitCodes.join(', ') + (a.includeSubunits === false ? '' : ` (${t('consoleContent.audience.subunits').toLowerCase()})`))
  if (a.unitKinds?.length) parts.push(a.unitKinds.map((k) => t(`consoleContent.audience.unitKind.${k}`)).join(', '))
  if (a.roles?.length) parts.push(a.roles.map((r) => t(`consoleContent.audience.role.${r}`)).join(', '))
  if (a.platforms?.length) parts.push(a.platforms.map((p) => t(`consoleContent.channel.${p}`)).join(', '))
  return parts.length ? parts.join(' · ') : t('consoleContent.audience.everyone')
}

function StatusBadge({ t, status }: { t: Translate; status: string }) {
  const tone = status === 'sent' ? 'met' : status === 'partly_failed' ? 'behind' : status === 'sending' ? 'close' : 'unknown'
  return (
    <span class={`badge ${tone}`} data-status={status}>
      {t(`consoleContent.broadcasts.status.${status as 'sent'}`)}
    </span>
  )
}

/** The messages as each platform will show them, side by side on a wide screen. */
function MessagePreview({ t, messages }: { t: Translate; messages: Record<MessengerName, PreviewMessage[]> }) {
  const column = (channel: MessengerName, heading: string, note?: string) => (
    <section class={`chat-preview ${channel}`} aria-label={heading} data-preview={channel}>
      <h3>{heading}</h3>
      {note && <p class="hint">{note}</p>}
      {messages[channel].map((m, i) => (
        <div class="bubble" aria-label={t('consoleContent.broadcasts.messageN', { n: i + 1 })}>
          {m.imageUrl && <p class="image">{t('consoleContent.broadcasts.image', { url: m.imageUrl })}</p>}
          {m.text && <p class="text">{m.text}</p>}
          {m.buttons.length > 0 && (
            <div class="buttons">
              {m.buttons.map((label) => (
                <span class="chat-button">{label}</span>
              ))}
            </div>
          )}
        </div>
      ))}
    </section>
  )
  return (
    <div class="previews">
      {column('zalo', t('consoleContent.broadcasts.onZalo'), t('consoleContent.broadcasts.zaloNote'))}
      {column('telegram', t('consoleContent.broadcasts.onTelegram'))}
    </div>
  )
}

function fieldLabel(t: Translate, field: string): string {
  const labels: Record<string, Parameters<Translate>[0]> = {
    title: 'consoleContent.broadcasts.fieldTitle',
    body: 'consoleContent.broadcasts.fieldBody',
    link: 'consoleContent.broadcasts.fieldLink',
    imageUrl: 'consoleContent.broadcasts.fieldImage',
    audience: 'consoleContent.audience.legend',
    kind: 'consoleContent.broadcasts.fieldKind',
  }
  return labels[field] ? t(labels[field]) : field
}

type Totals = Awaited<ReturnType<typeof broadcastStats>>['totals']

/** A broadcast's facts: status, kind, time, audience and how many it reached. */
function BroadcastFacts({ t, b, recipients, zone }: { t: Translate; b: BroadcastRow; recipients: number; zone: string }) {
  return (
    <dl class="facts card" id="broadcast-facts" data-live>
      <dt>{t('consoleContent.broadcasts.colStatus')}</dt>
      <dd>
        <StatusBadge t={t} status={b.status} />
      </dd>
      <dt>{t('consoleContent.broadcasts.colKind')}</dt>
      <dd>{t(`consoleContent.broadcasts.kind.${b.kind}`)}</dd>
      <dt>{t('consoleContent.broadcasts.colWhen')}</dt>
      <dd>{formatDateTime(b.scheduledAt, zone)}</dd>
      <dt>{t('consoleContent.broadcasts.audienceWas')}</dt>
      <dd id="audience">{describeAudience(t, b.audience as unknown as Audience)}</dd>
      <dt>{t('consoleContent.broadcasts.people')}</dt>
      <dd>{b.peopleCount}</dd>
      <dt>{t('consoleContent.broadcasts.recipients')}</dt>
      <dd>{b.expandedAt ? recipients : b.recipientCount}</dd>
      <dt>{t('consoleContent.broadcasts.unreachable')}</dt>
      <dd>{b.unreachableCount}</dd>
    </dl>
  )
}

/** Sending progress: queued, sent, failed, blocked (and read), refreshed in place while it sends. */
function BroadcastProgress({ t, totals, failedBy, requireAck }: { t: Translate; totals: Totals; failedBy: Record<string, number>; requireAck: boolean }) {
  const done = totals.sent + totals.failed + totals.blocked
  return (
    <section aria-labelledby="progress" id="progress-section" data-live>
      <h2 id="progress">{t('consoleContent.broadcasts.progress')}</h2>
      <progress max={Math.max(1, totals.recipients)} value={done} aria-describedby="progress-text" />
      <p id="progress-text" data-live-summary>{t('consoleContent.broadcasts.progressText', { done, total: totals.recipients })}</p>
      <dl class="facts" id="totals">
        <dt>{t('consoleContent.broadcasts.queued')}</dt>
        <dd data-count="queued">{totals.queued}</dd>
        <dt>{t('consoleContent.broadcasts.sent')}</dt>
        <dd data-count="sent">{totals.sent}</dd>
        <dt>{t('consoleContent.broadcasts.failed')}</dt>
        <dd data-count="failed">{totals.failed}</dd>
        <dt>{t('consoleContent.broadcasts.blocked')}</dt>
        <dd data-count="blocked">{totals.blocked}</dd>
        {requireAck && (
          <>
            <dt>{t('consoleContent.broadcasts.acknowledged')}</dt>
            <dd data-count="acknowledged">{totals.acknowledged}</dd>
          </>
        )}
      </dl>
      {Object.keys(failedBy).length > 0 && (
        <p class="hint">
          {t('consoleContent.broadcasts.failedBy')}: {Object.entries(failedBy).map(([k, n]) => `${k} ${n}`).join(', ')}
        </p>
      )}
    </section>
  )
}
