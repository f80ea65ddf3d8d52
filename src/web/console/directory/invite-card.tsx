import type { Context } from 'hono'
import { raw } from 'hono/html'
import { pageText } from '../../locale.js'
import { qrSvg } from '../../qr.js'

/** What one invite card prints: a sheet's row, or a personal code. */
export interface InviteCardData {
  personId: number
  fullName: string
  unitName: string
  externalId: string | null
  code: string | null
  expiresOn: string | null
  telegram: string | null
  telegramLink: string | null
  zalo: string | null
  zaloLink: string | null
  personal: string | null
}

export interface CardQrs {
  telegram: string | null
  zalo: string | null
}

/** The QR codes of each card: Telegram's deep link (one per code) and the Zalo account's link (the same on every card, drawn once). */
export async function cardQrs(cards: readonly InviteCardData[]): Promise<CardQrs[]> {
  const zaloLinks = new Map<string, Promise<string>>()
  const zalo = (link: string) => zaloLinks.get(link) ?? zaloLinks.set(link, qrSvg(link)).get(link)!
  return Promise.all(
    cards.map(async (p) => ({
      telegram: p.code && p.telegramLink ? await qrSvg(p.telegramLink) : null,
      zalo: p.code && p.zaloLink ? await zalo(p.zaloLink) : null,
    })),
  )
}

/** One card: name, unit, both QR codes (Telegram, Zalo) where the platforms give links, the code, and what to do on each messenger. */
export function InviteCard({ c, p, qrs }: { c: Context; p: InviteCardData; qrs: CardQrs }) {
  const { t } = pageText(c)
  return (
    <article class="card invite" data-person={p.personId}>
      <h2>{p.fullName}</h2>
      <p class="muted">
        {p.unitName}
        {p.externalId ? ` · ${p.externalId}` : ''}
      </p>
      {(qrs.telegram || qrs.zalo) && (
        <div class="qrs">
          {qrs.telegram && (
            <figure class="qr" data-qr="telegram" role="img" aria-label={t('directory.sheet.telegramQr', { name: p.fullName })}>
              {raw(qrs.telegram)}
              <figcaption aria-hidden="true">Telegram</figcaption>
            </figure>
          )}
          {qrs.zalo && (
            <figure class="qr" data-qr="zalo" role="img" aria-label={t('directory.sheet.zaloQr', { name: p.fullName })}>
              {raw(qrs.zalo)}
              <figcaption aria-hidden="true">Zalo</figcaption>
            </figure>
          )}
        </div>
      )}
      {p.code === null ? (
        <p data-personal>{p.personal}</p>
      ) : (
        <>
          <p>
            {t('consoleDirectory.invites.code')}: <strong class="code" data-code>{p.code}</strong>
          </p>
          <p class="hint">{t('consoleDirectory.invites.expires', { date: p.expiresOn ?? '' })}</p>
          <p data-telegram>{p.telegram}</p>
          <p data-zalo>{p.zalo}</p>
        </>
      )}
    </article>
  )
}
