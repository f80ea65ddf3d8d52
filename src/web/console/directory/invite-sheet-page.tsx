import type { Context } from 'hono'
import type { InviteSheet } from '#src/domain/directory/invite-sheet.js'
import { CsrfField, Layout } from '../../layout.js'
import { pageText } from '../../locale.js'
import { cardQrs, InviteCard } from './invite-card.js'

/** People on one printed page of an invite sheet: a unit of the whole city still prints quickly and small. */
export const SHEET_PAGE = 200

/** Another page of the same sheet: a POST (it issues codes), with the unit and the page number. */
function PageButton({ c, unit, page, label }: { c: Context; unit: string; page: number; label: string }) {
  return (
    <form method="post" action="/admin/directory/invites">
      <CsrfField c={c} />
      <input type="hidden" name="unit" value={unit} />
      <input type="hidden" name="page" value={String(page)} />
      <button type="submit" class="secondary">
        {label}
      </button>
    </form>
  )
}

/** The printable sheet: counts, the page's cards (both QR codes each), and the previous and next pages. */
export async function InviteSheetPage({ c, sheet, unit }: { c: Context; sheet: InviteSheet; unit: string }) {
  const { t } = pageText(c)
  const qrs = await cardQrs(sheet.people)
  const title = t('consoleDirectory.invites.sheetTitle', { unit: sheet.unit ? sheet.unit.name : t('consoleDirectory.invites.all') })
  const page = Math.floor(sheet.offset / SHEET_PAGE) + 1
  const pages = Math.max(1, Math.ceil(sheet.total / SHEET_PAGE))
  const from = sheet.people.length ? sheet.offset + 1 : 0
  const paging =
    pages > 1 ? (
      <nav class="invite-pages no-print" aria-label={t('consoleDirectory.invites.pages')}>
        <span>{t('consoleDirectory.invites.pageOf', { page, pages, from, to: sheet.offset + sheet.people.length, total: sheet.total })}</span>
        {page > 1 && <PageButton c={c} unit={unit} page={page - 1} label={t('consoleDirectory.previous')} />}
        {page < pages && <PageButton c={c} unit={unit} page={page + 1} label={t('consoleDirectory.next')} />}
      </nav>
    ) : null
  return (
    <Layout c={c} title={title}>
      <h1>{title}</h1>
      <p class="no-print" role="status">
        {t('consoleDirectory.invites.counts', { count: sheet.people.length, reused: sheet.reusedCodes, fresh: sheet.newCodes })}
      </p>
      {paging}
      {sheet.people.length === 0 ? <p>{t('consoleDirectory.invites.none')}</p> : <p class="hint no-print">{t('consoleDirectory.invites.print')}</p>}
      <div class="invite-sheet">
        {sheet.people.map((p, i) => (
          <InviteCard c={c} p={p} qrs={qrs[i]!} />
        ))}
      </div>
      {paging}
    </Layout>
  )
}
