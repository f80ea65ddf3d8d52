import { Hono, type Context } from 'hono'
import type { AppDeps } from '../../deps.js'
import { issueInvites } from '../../domain/directory/invites.js'
import { findPersonWithUnit } from '../../domain/directory/people.js'
import { requiredRole } from '../../http/access.js'
import { formatDateTime } from '../../i18n.js'
import { errorPage } from '../errors.js'
import { CsrfField, Layout } from '../layout.js'
import { pageText } from '../locale.js'
import { requireRole } from './auth.js'

/**
 * The card on a person's page that issues them a personal code: the one kind that links an admin or
 * a console account (within a day), and what the invite sheet tells them to ask for.
 */
export function PersonInviteForm({ c, personId }: { c: Context; personId: number }) {
  const { t } = pageText(c)
  return (
    <form method="post" action={`/admin/directory/people/${personId}/invite`} class="card stack" data-person-invite>
      <CsrfField c={c} />
      <h2>{t('consoleDirectory.person.inviteTitle')}</h2>
      <p class="hint">{t('consoleDirectory.person.inviteHint')}</p>
      <div class="actions">
        <button type="submit">{t('consoleDirectory.person.inviteMake')}</button>
      </div>
    </form>
  )
}

/** POST /admin/directory/people/:id/invite: what `POST /api/people/:id/invites` does, shown once. */
export function personInviteRoutes(deps: AppDeps) {
  const app = new Hono()
  app.post('/admin/directory/people/:id/invite', requireRole(requiredRole('POST', '/people/*/invites')), async (c) => {
    const { t } = pageText(c)
    const id = Number(c.req.param('id'))
    const found = Number.isSafeInteger(id) && id > 0 ? await findPersonWithUnit(deps.db, id) : undefined
    if (!found || found.person.erasedAt) return errorPage(c, 404, 'api.errors.noPerson', { id: c.req.param('id') })
    const [invite] = await issueInvites(deps.db, [id], deps.clock(), deps.config.inviteTtlDays, 'admin', deps.config.tokenEncryptionKey)
    const link = deps.channels.telegram?.deepLink?.(invite!.code) ?? null
    const title = t('consoleDirectory.person.inviteIssued', { name: found.person.fullName })
    return c.html(
      <Layout c={c} title={title}>
        <h1>{title}</h1>
        <p>
          {t('consoleDirectory.invites.code')}: <strong class="code" data-code>{invite!.code}</strong>
        </p>
        <p class="hint">{t('consoleDirectory.person.inviteExpires', { time: formatDateTime(invite!.expiresAt, deps.config.timezone) })}</p>
        {link && <p>{t('directory.sheet.telegram', { link })}</p>}
        <p>{t('directory.sheet.zalo', { code: invite!.code })}</p>
        <p>
          <a href={`/admin/directory/people/${id}`}>{t('consoleDirectory.person.inviteBack')}</a>
        </p>
      </Layout>,
      201,
    )
  })
  return app
}
