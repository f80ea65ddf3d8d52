import { showLocalDay } from '#src/time.js'
import type { Context } from 'hono'
import type { MessengerName } from '#src/core/events.js'
import type { AppDeps } from '#src/deps.js'
import type { Audience } from '#src/domain/audience.js'
import type { PreviewMessage } from '#src/domain/broadcast/render.js'
import { broadcastKinds } from '#src/domain/broadcast/schemas.js'
import type { AudienceCounts, BroadcastRow, broadcastStats, listBroadcasts } from '#src/domain/broadcast/service.js'
import type { listUnits } from '#src/domain/directory/units.js'
import { roleAllows } from '#src/domain/console/signin-sessions.js'
import { formatDateTime, type Translate } from '#src/i18n.js'
import { CsrfField, Layout } from '../../layout.js'
import { pageText } from '../../locale.js'
import { PublicLinkCard } from '../../public-link.js'
import { consoleRole } from '../access.js'
import { accountOf } from '../auth.js'
import { CreateAction } from '../create-action.js'
import { DownloadLinks } from '../downloads.js'
import { AudienceFields, DateTimeFields, ErrorList } from '../forms.js'
import { describePublic, PublicAudienceFields, PublicResults } from './public.js'
import { staffIncluded, type SubscriberResults } from '#src/domain/broadcast/subscribers.js'
import { NoMessenger } from '../home/channel-alerts.js'
import { offeredPlatforms } from '../platforms.js'
import { DuplicateForm, type ComposeDraft } from './drafts.js'
import { BroadcastReach } from './reach.js'
import { BroadcastUnitTable } from './units.js'

/** Broadcasts a page of the list. */
export const PAGE_SIZE = 50

function canEdit(c: Context) {
  return roleAllows(accountOf(c).role, 'editor')
}

/** A counted preview: what the send button commits to. */
export interface Preview {
  counts: AudienceCounts
  messages: Record<MessengerName, PreviewMessage[]>
  /** What the send button commits to: the audience and time that were counted (previewFingerprint). */
  checked: string
  scheduledAt: Date | null
  /** The scheduled time falls on a day off on the working-day calendar: the send asks for a confirmation. */
  dayOff: { day: string; name: string | null } | null
}

/** How the compose page is shown: its errors, the preview, a notice, the draft it edits. */
export type ComposeView = { errors?: string[]; preview?: Preview | null; notice?: string; status?: 200 | 400 | 409 | 422; draftId?: number; product?: { id: number; title: string } }
type Units = Awaited<ReturnType<typeof listUnits>>

/** GET /admin/broadcasts: the list, newest first, PAGE_SIZE a page. */
export function BroadcastListPage({ c, page, list, zone }: { c: Context; page: number; list: Awaited<ReturnType<typeof listBroadcasts>>; zone: string }) {
  const { t } = pageText(c)
  const { total, items } = list
  return (
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
  </Layout>
  )
}

/** The compose form (also a draft's page): content, audience, time, then preview, draft or send. */
export function ComposePage({ c, deps, units, observances, draft, view }: { c: Context; deps: AppDeps; units: Units; observances: readonly Observance[]; draft: ComposeDraft; view: ComposeView }) {
  const { t } = pageText(c)
  const opts = view
  const preview = opts.preview
  const zone = deps.config.timezone
  const heading = opts.draftId ? t('consoleContent.broadcasts.draftTitle', { id: opts.draftId }) : t('consoleContent.broadcasts.newTitle')
  return (
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
        {opts.product && (
          <p class="notice" data-product={opts.product.id}>
            <input type="hidden" name="productId" value={String(opts.product.id)} />
            {t('consoleContent.broadcasts.fromProduct', { title: opts.product.title })}
          </p>
        )}
        <ContentFields t={t} draft={draft} />
        <AudienceFields t={t} units={units} value={draft.audience} counts={preview?.counts} platforms={offeredPlatforms(deps, draft.audience.platforms)} />
        <PublicAudienceFields t={t} wards={units.filter((u) => u.kind === 'commune')} value={draft.audience} count={preview?.counts.subscribers} />
        <fieldset class="card">
          <legend>{t('consoleContent.broadcasts.whenLegend')}</legend>
          <label class="check">
            <input type="radio" name="when" value="now" checked={draft.when === 'now'} /> {t('consoleContent.broadcasts.sendNow')}
          </label>
          <label class="check">
            <input type="radio" name="when" value="later" checked={draft.when === 'later'} /> {t('consoleContent.broadcasts.sendLater')}
          </label>
          <DateTimeFields t={t} name="scheduled" legend={t('consoleContent.broadcasts.scheduledAt')} value={draft.scheduled} zone={zone} />
          <ObservanceFields t={t} observances={observances} draft={draft} />
        </fieldset>
        {preview && <input type="hidden" name="checked" value={preview.checked} />}
        <ComposeButtons t={t} preview={preview} zone={zone} />
      </form>
      {preview && (
        <>
          <h2>{t('consoleContent.broadcasts.message')}</h2>
          <MessagePreview t={t} messages={preview.messages} />
        </>
      )}
      {opts.draftId && canEdit(c) && <DuplicateForm c={c} id={opts.draftId} />}
    </Layout>
  )
}

interface Observance {
  monthDay: string
  name: string
}

/** "Gửi trước ngày kỷ niệm": a commemoration from the calendar, N days before (07:30, the previous working day when that day is off), yearly. */
function ObservanceFields({ t, observances, draft }: { t: Translate; observances: readonly Observance[]; draft: ComposeDraft }) {
  const v = draft.observance
  return (
    <>
      <label class="check">
        <input type="radio" name="when" value="observance" checked={draft.when === 'observance'} /> {t('consoleContent.broadcasts.sendBeforeObservance')}
      </label>
      <label>
        {t('consoleContent.broadcasts.observance')}
        <select name="observanceDate">
          {observances.map((o) => (
            <option value={o.monthDay} selected={v.date === o.monthDay}>
              {`${o.monthDay.slice(3)}/${o.monthDay.slice(0, 2)} — ${o.name}`}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t('consoleContent.broadcasts.daysBefore')}
        <input type="number" name="observanceDaysBefore" min="0" max="60" inputmode="numeric" value={v.daysBefore} />
      </label>
      <label class="check">
        <input type="checkbox" name="observanceYearly" checked={v.yearly} /> {t('consoleContent.broadcasts.observanceYearly')}
      </label>
      <p class="hint">{t('consoleContent.broadcasts.observanceHint')}</p>
    </>
  )
}

function ContentFields({ t, draft }: { t: Translate; draft: ComposeDraft }) {
  return (
    <>
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
    </>
  )
}

function ComposeButtons({ t, preview, zone }: { t: Translate; preview: Preview | null | undefined; zone: string }) {
  return (
    <>
      <div class="actions">
        <button type="submit" name="action" value="preview" class={preview ? 'secondary' : undefined}>
          {t('consoleContent.broadcasts.previewButton')}
        </button>
        <button type="submit" name="action" value="draft" class="secondary">
          {t('consoleContent.broadcasts.draftButton')}
        </button>
        {preview && reached(preview) > 0 && (
          <button type="submit" name="action" value="send">
            {preview.scheduledAt
              ? t('consoleContent.broadcasts.scheduleButton', { recipients: reached(preview), time: formatDateTime(preview.scheduledAt, zone) })
              : t('consoleContent.broadcasts.sendButton', { recipients: reached(preview) })}
          </button>
        )}
      </div>
      {!preview && <p class="hint">{t('consoleContent.broadcasts.previewHint')}</p>}
      {preview?.dayOff && (
        <div class="notice warn" role="status" data-day-off>
          <p>{t('consoleContent.broadcasts.dayOff', { day: showLocalDay(preview.dayOff.day), name: preview.dayOff.name ? `: ${preview.dayOff.name}` : '' })}</p>
          <label class="check">
            <input type="checkbox" name="confirmDayOff" value="1" /> {t('consoleContent.broadcasts.dayOffConfirm')}
          </label>
        </div>
      )}
      {preview && reached(preview) === 0 && (
        <p role="alert" class="notice warn">
          {t('consoleContent.broadcasts.nobody')}
        </p>
      )}
    </>
  )
}

type Stats = Awaited<ReturnType<typeof broadcastStats>>

/** Who the send reaches: staff with a chat and subscribers. */
const reached = (p: Preview) => p.counts.recipients + p.counts.subscribers

/** GET /admin/broadcasts/:id: a sent or scheduled broadcast, its progress by unit and route, and its message. */
export function BroadcastPage(props: { c: Context; deps: AppDeps; b: BroadcastRow; stats: Stats; pendingAll: number; publicResults?: SubscriberResults | null; messages: Record<MessengerName, PreviewMessage[]> }) {
  const { c, deps, b, pendingAll } = props
  const { totals, failedBy } = props.stats
  const { t } = pageText(c)
  const id = b.id
  const zone = deps.config.timezone
  const editor = canEdit(c)
  const sending = b.status === 'sending'
  const notice = flash(t, c)
  return (
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
      {b.expandedAt && props.publicResults && <PublicResults t={t} results={props.publicResults} />}
      {editor && (b.status === 'scheduled' || b.status === 'sending') && (
        <form method="get" action={`/admin/broadcasts/${id}/cancel`} class="actions">
          <button type="submit" class="danger">
            {t('consoleContent.broadcasts.cancel')}
          </button>
        </form>
      )}
      {b.expandedAt && <BroadcastByUnit c={c} deps={deps} b={b} pendingAll={pendingAll} />}
      {b.expandedAt && <BroadcastReach c={c} deps={deps} broadcast={b} />}
      {editor && <DuplicateForm c={c} id={b.id} />}
      <h2>{t('consoleContent.broadcasts.message')}</h2>
      <MessagePreview t={t} messages={props.messages} />
    </Layout>
  )
}

function BroadcastByUnit({ c, deps, b, pendingAll }: { c: Context; deps: AppDeps; b: BroadcastRow; pendingAll: number }) {
  const { t } = pageText(c)
  const id = b.id
  const zone = deps.config.timezone
  const canRemind = roleAllows(accountOf(c).role, consoleRole('POST', `/broadcasts/${id}/remind`))
  const remindable = b.requireAck && b.expandedAt && b.status !== 'cancelled'
  return (
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
      <BroadcastUnitTable c={c} db={deps.db} broadcast={b} canRemind={canRemind} zone={zone} />
    </section>
  )
}

/** The flash notice after an action (created, cancelled, saved, duplicated, reminded), from the query. */
export function flash(t: Translate, c: Context): string | null {
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

/** A form field's name in the page's language, for error messages. */
export function fieldLabel(t: Translate, field: string): string {
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
      {b.observance && (
        <>
          <dt>{t('consoleContent.broadcasts.observance')}</dt>
          <dd id="observance">
            {t(b.observance.yearly ? 'consoleContent.broadcasts.observanceFactYearly' : 'consoleContent.broadcasts.observanceFact', {
              day: `${b.observance.monthDay.slice(3)}/${b.observance.monthDay.slice(0, 2)}`,
              name: b.observance.name,
              n: b.observance.daysBefore,
            })}
          </dd>
        </>
      )}
      <dt>{t('consoleContent.broadcasts.audienceWas')}</dt>
      <dd id="audience">{[staffIncluded(b.audience) ? describeAudience(t, b.audience as unknown as Audience) : '', describePublic(t, b.audience)].filter(Boolean).join(' · ')}</dd>
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
