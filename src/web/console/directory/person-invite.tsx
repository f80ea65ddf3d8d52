import { Hono, type Context } from 'hono'
import type { AppDeps } from '#src/deps.js'
import { issueInvites } from '#src/domain/directory/invites.js'
import { findPersonWithUnit } from '#src/domain/directory/people.js'
import { zaloContact, zaloLine } from '#src/domain/directory/zalo-contact.js'
import { formatDateTime } from '#src/i18n.js'
import { errorPage } from '../../errors.js'
import { CsrfField, Layout } from '../../layout.js'
import { pageText } from '../../locale.js'
import { cardQrs, InviteCard, type InviteCardData } from './invite-card.js'
import type { AppEnv } from '#src/http/env.js'

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
  const app = new Hono<AppEnv>()
  app.post('/admin/directory/people/:id/invite', async (c) => {
    const { t } = pageText(c)
    const id = Number(c.req.param('id'))
    const found = Number.isSafeInteger(id) && id > 0 ? await findPersonWithUnit(deps.db, id) : undefined
    if (!found || found.person.erasedAt) return errorPage(c, 404, 'api.errors.noPerson', { id: c.req.param('id') })
    const [invite] = await issueInvites(deps.db, [id], deps.clock(), deps.config.inviteTtlDays, 'admin', deps.config.tokenEncryptionKey)
    const code = invite!.code
    const link = deps.channels.telegram?.deepLink?.(code) ?? null
    const zalo = await zaloContact(deps, deps.clock())
    const card: InviteCardData = {
      personId: id,
      fullName: found.person.fullName,
      unitName: found.unit.name,
      externalId: found.person.externalId,
      code,
      expiresOn: formatDateTime(invite!.expiresAt, deps.config.timezone),
      telegram: link ? t('directory.sheet.telegram', { link }) : t('directory.sheet.telegramOff'),
      telegramLink: link,
      zalo: zaloLine(pageText(c).locale, zalo, code),
      zaloLink: zalo?.link ?? null,
      personal: null,
    }
    const [qrs] = await cardQrs([card])
    const title = t('consoleDirectory.person.inviteIssued', { name: found.person.fullName })
    return c.html(
      <Layout c={c} title={title}>
        <h1>{title}</h1>
        <p class="hint no-print">{t('consoleDirectory.person.inviteExpires', { time: card.expiresOn! })}</p>
        <p class="hint no-print">{t('consoleDirectory.person.invitePrint')}</p>
        <div class="invite-sheet">
          <InviteCard c={c} p={card} qrs={qrs!} />
        </div>
        <p class="no-print">
          <a href={`/admin/directory/people/${id}`}>{t('consoleDirectory.person.inviteBack')}</a>
        </p>
      </Layout>,
      201,
    )
  })
  return app
}
