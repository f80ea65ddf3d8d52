import type { Context } from 'hono'
import type { ChannelName } from '#src/core/events.js'
import { INBOX_FILTERS, type InboxFilter, type PresentedInbox } from '#src/domain/inbox.js'
import { ANSWER_MAX } from '#src/domain/questions.js'
import { formatDateTime, formatHours, type Translate } from '#src/i18n.js'
import { CsrfField } from '../../layout.js'
import { pageText } from '../../locale.js'
import { ListPage } from '../components/list-page.js'
import { FormNotice, StatusTabs } from '../components/status-tabs.js'

export const inboxFilters: readonly InboxFilter[] = INBOX_FILTERS
export type Notice = { kind: 'ok' | 'error' | 'warn'; text: string }

/** One message: who wrote, when, the text, and what was done with it (or the forms to do it). */
type InboxItem = PresentedInbox & { waitedWorkingHours?: number | null }

function InboxCard(props: { c: Context; m: InboxItem; t: Translate; tz: string; filter: InboxFilter; canAnswer: boolean }) {
  const { c, m, t, tz, filter } = props
  return (
    <article class="card" data-inbox={m.id} aria-labelledby={`m${m.id}`}>
      <h2 id={`m${m.id}`}>
        #{m.id} · {m.person?.fullName ?? t('consoleInbox.erased')} · {m.unit.name}
      </h2>
      <p class="hint">{t('consoleInbox.received', { at: formatDateTime(new Date(m.receivedAt), tz), channel: t(`channel.${m.channel as ChannelName}`) })}</p>
      <blockquote>{m.text}</blockquote>
      {m.status === 'answered' && (
        <p>
          <strong>{t('consoleInbox.answeredAt', { at: formatDateTime(new Date(m.answeredAt!), tz), by: m.answeredBy?.fullName ?? t('consoleInbox.adminToken') })}:</strong> {m.answer}
        </p>
      )}
      {m.waitedWorkingHours != null && <p class="hint">{t('consoleInbox.waited', { hours: formatHours(m.waitedWorkingHours, pageText(c).locale) })}</p>}
      {m.status === 'question' && (
        <p>
          <strong>{t('consoleInbox.isQuestion', { by: m.answeredBy?.fullName ?? t('consoleInbox.adminToken') })}:</strong>{' '}
          <a href={`/admin/questions?status=all#q${m.questionId}`}>{t('consoleInbox.questionLink', { id: m.questionId ?? '' })}</a>
        </p>
      )}
      {props.canAnswer && m.status === 'new' && (
        <>
          <form method="post" action={`/admin/inbox/${m.id}/answer?status=${filter}`} class="stack">
            <CsrfField c={c} />
            <div>
              <label for={`a${m.id}`}>{t('consoleInbox.answer')}</label>
              <textarea id={`a${m.id}`} name="answer" required maxlength={ANSWER_MAX}></textarea>
            </div>
            <div class="actions">
              <button type="submit">{t('consoleInbox.send')}</button>
            </div>
          </form>
          <form method="post" action={`/admin/inbox/${m.id}/question?status=${filter}`} class="actions">
            <CsrfField c={c} />
            <button type="submit" class="secondary">
              {t('consoleInbox.toQuestion')}
            </button>
          </form>
        </>
      )}
    </article>
  )
}

/** /admin/inbox: the messages with the chosen status, each a card with what was done or the forms to do it. */
export function InboxPage(props: { c: Context; filter: InboxFilter; items: readonly InboxItem[]; total: number; canAnswer: boolean; notice?: Notice; tz: string }) {
  const { c, filter } = props
  const { t } = pageText(c)
  return (
    <ListPage
      c={c}
      title={t('consoleInbox.title')}
      before={
        <>
          <p class="hint">{t('consoleInbox.intro')}</p>
          <StatusTabs label={t('consoleInbox.title')} statuses={inboxFilters} current={filter} href={(s) => `/admin/inbox?status=${s}`} name={(s) => t(`consoleInbox.filters.${s}`)} />
          <FormNotice notice={props.notice} />
        </>
      }
      empty={props.total === 0}
      emptyText={t('consoleInbox.none')}
      emptyClass="muted"
    >
      {props.items.map((m) => (
        <InboxCard c={c} m={m} t={t} tz={props.tz} filter={filter} canAnswer={props.canAnswer} />
      ))}
    </ListPage>
  )
}
