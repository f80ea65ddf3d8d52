import { Hono, type Context } from 'hono'
import type { ChatLinkRow } from '#db/schema/index.js'
import type { AppDeps } from '#src/deps.js'
import { maskChatId, revokeLink } from '#src/domain/directory/links.js'
import { findPersonWithUnit } from '#src/domain/directory/people.js'
import { formatDateTime } from '#src/i18n.js'
import { errorPage } from '../../errors.js'
import { CsrfField } from '../../layout.js'
import { pageText } from '../../locale.js'
import type { AppEnv } from '#src/http/env.js'

/**
 * The card on a person's page listing their linked chats, masked as the API shows them (enough to
 * tell two chats apart, not to write to one), each with a button that unlinks it.
 */
export function PersonChats({ c, personId, links, timezone }: { c: Context; personId: number; links: ChatLinkRow[]; timezone: string }) {
  const { t } = pageText(c)
  return (
    <section class="card stack" data-person-chats aria-labelledby="chats-title">
      <h2 id="chats-title">{t('consoleDirectory.person.chatsTitle')}</h2>
      {links.length === 0 ? (
        <p>{t('consoleDirectory.person.noChats')}</p>
      ) : (
        <>
          <p class="hint">{t('consoleDirectory.person.chatsHint')}</p>
          <ul class="stack">
            {links.map((l) => (
              <li data-link={l.id}>
                <form method="post" action={`/admin/directory/people/${personId}/links/${l.id}/unlink`} class="actions">
                  <CsrfField c={c} />
                  <span>
                    {t('consoleDirectory.person.chat', {
                      channel: t(`consoleContent.channel.${l.channel}`),
                      chat: maskChatId(l.chatId),
                      time: formatDateTime(l.linkedAt, timezone),
                    })}
                    {l.blockedAt ? ` ${t('consoleDirectory.person.chatBlocked')}` : ''}
                  </span>
                  <button type="submit" class="danger" aria-label={t('consoleDirectory.person.unlinkLabel', { channel: t(`consoleContent.channel.${l.channel}`), chat: maskChatId(l.chatId) })}>
                    {t('consoleDirectory.person.unlink')}
                  </button>
                </form>
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  )
}

/**
 * POST /admin/directory/people/:id/links/:linkId/unlink: what `DELETE /api/people/:id/links/:linkId`
 * does (revokeLink: the chat is told, the console sessions and API tokens it could have opened end).
 */
export function personChatRoutes(deps: AppDeps) {
  const app = new Hono<AppEnv>()
  app.post('/admin/directory/people/:id/links/:linkId/unlink', async (c) => {
    const id = Number(c.req.param('id'))
    const linkId = Number(c.req.param('linkId'))
    const valid = Number.isSafeInteger(id) && id > 0 && Number.isSafeInteger(linkId) && linkId > 0
    const found = valid ? await findPersonWithUnit(deps.db, id) : undefined
    if (!found || found.person.erasedAt) return errorPage(c, 404, 'api.errors.noPerson', { id: c.req.param('id') })
    const revoked = await revokeLink(deps.db, { personId: id, linkId, now: deps.clock(), by: 'admin' })
    if (!revoked) return errorPage(c, 404, 'api.errors.noLink', { id, linkId: c.req.param('linkId') })
    return c.redirect(`/admin/directory/people/${id}?unlinked=${encodeURIComponent(revoked.channel)}`, 303)
  })
  return app
}
