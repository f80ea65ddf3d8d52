import { Hono, type Context } from 'hono'
import type { AppDeps } from '#src/deps.js'
import { cancelBroadcast, getBroadcast } from '#src/domain/broadcast/service.js'
import { AppError } from '#src/errors.js'
import { formatDateTime } from '#src/i18n.js'
import { CsrfField, Layout } from '../../layout.js'
import { pageText } from '../../locale.js'
import { readForm } from '../forms.js'
import type { AppEnv } from '#src/http/env.js'

const cancellable = (status: string) => status === 'scheduled' || status === 'sending'

function idOf(c: Context): number {
  const id = Number(c.req.param('id'))
  if (!Number.isSafeInteger(id) || id < 1) throw new AppError('not_found', 'api.errors.noBroadcast', { id: c.req.param('id') ?? '' })
  return id
}

/**
 * Cancelling a broadcast cannot be undone, so it takes two steps without any script: the detail
 * page's button opens GET /admin/broadcasts/:id/cancel, which says what will and will not be sent;
 * only its form (with `confirm=yes`) cancels. A post without it changes nothing and shows the question.
 */
export function broadcastCancelPages(deps: AppDeps) {
  const app = new Hono<AppEnv>()
  const { db } = deps
  const zone = deps.config.timezone

  app.get('/admin/broadcasts/:id/cancel', async (c) => {
    const { t } = pageText(c)
    const id = idOf(c)
    const b = await getBroadcast(db, id)
    if (!b) throw new AppError('not_found', 'api.errors.noBroadcast', { id })
    const title = t('consoleContent.broadcasts.cancelAsk', { id, title: b.title })
    return c.html(
      <Layout c={c} title={title} narrow>
        <p>
          <a href={`/admin/broadcasts/${id}`}>← {t('consoleContent.broadcasts.detailTitle', { id })}</a>
        </p>
        <h1>{title}</h1>
        {!cancellable(b.status) ? (
          <p class="notice warn" role="status">
            {t('consoleContent.broadcasts.cancelNotPossible', { status: t(`consoleContent.broadcasts.status.${b.status}`) })}
          </p>
        ) : (
          <form method="post" action={`/admin/broadcasts/${id}/cancel`} class="card stack">
            <CsrfField c={c} />
            <input type="hidden" name="confirm" value="yes" />
            <p class="notice warn">
              {b.status === 'scheduled'
                ? t('consoleContent.broadcasts.cancelScheduled', { time: formatDateTime(b.scheduledAt, zone), people: b.recipientCount })
                : t('consoleContent.broadcasts.cancelSending')}{' '}
              <strong>{t('consoleContent.broadcasts.cancelFinal')}</strong>
            </p>
            <div class="actions">
              <button type="submit" class="danger">
                {t('consoleContent.broadcasts.cancelConfirm')}
              </button>
              <a class="button secondary" href={`/admin/broadcasts/${id}`}>
                {t('consoleContent.broadcasts.cancelKeep')}
              </a>
            </div>
          </form>
        )}
      </Layout>,
    )
  })

  app.post('/admin/broadcasts/:id/cancel', async (c) => {
    const id = idOf(c)
    const form = await readForm(c)
    const b = await getBroadcast(db, id)
    if (!b) throw new AppError('not_found', 'api.errors.noBroadcast', { id })
    if (form.get('confirm') !== 'yes') return c.redirect(`/admin/broadcasts/${id}/cancel`, 303)
    if (!cancellable(b.status)) {
      throw new AppError('conflict', 'api.errors.broadcastNotCancellable', { id, status: `api.broadcastStatus.${b.status}` })
    }
    await cancelBroadcast(db, id)
    return c.redirect(`/admin/broadcasts/${id}?done=cancelled`, 303)
  })

  return app
}
