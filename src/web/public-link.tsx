import type { Context } from 'hono'
import { raw } from 'hono/html'
import type { PublicItemKind } from '#db/schema/index.js'
import type { AppDeps } from '../deps.js'
import { publicBase } from '../http/public-links.js'
import { ensurePublicLink, publicPath } from '../domain/web/public-slugs.js'
import { pageText } from './locale.js'
import { qrSvg } from './qr.js'

/**
 * The public link of a broadcast, quiz or session as the console shows it beside the item: the
 * address (to copy into a school group), its QR code drawn inline (SVG, readable on a projector,
 * no request of its own) and the PNG and SVG downloads (/b|q|s/<slug>/qr.png, .svg). The link is
 * made on first use, like the API's `publicUrl`, on PUBLIC_URL or an allowed request origin
 * (`publicBase`); on any other Host the card says so instead of drawing a QR code of it.
 *
 * Usage in a console page: `<PublicLinkCard c={c} deps={deps} kind="broadcast" itemId={b.id} />`.
 */
export async function PublicLinkCard(props: { c: Context; deps: AppDeps; kind: PublicItemKind; itemId: number }) {
  const { c, deps, kind } = props
  const { t } = pageText(c)
  const slug = await ensurePublicLink(deps.db, kind, props.itemId, deps.clock())
  const path = publicPath(kind, slug)
  const base = publicBase(deps.config, c)
  const id = `public-link-${kind}-${props.itemId}`
  if (!base) {
    return (
      <section class="card public-link" aria-labelledby={id}>
        <h2 id={id}>{t('publicLink.title')}</h2>
        <p class="notice warn">{t('page.noPublicHost', { host: (c.req.header('host') ?? '').slice(0, 60) })}</p>
      </section>
    )
  }
  const url = `${base}${path}`
  const svg = await qrSvg(url)
  return (
    <section class="card public-link" aria-labelledby={id}>
      <h2 id={id}>{t('publicLink.title')}</h2>
      <p class="hint">{t(`publicLink.hint.${kind}`)}</p>
      <div class="public-link-body">
        <figure class="qr" role="img" aria-label={t('publicLink.qrAlt', { url })}>
          {raw(svg)}
        </figure>
        <div>
          <p>
            <span class="muted">{t('publicLink.linkLabel')}: </span>
            <a href={url} class="public-url">
              {url}
            </a>
          </p>
          <p class="actions">
            <a class="button secondary" href={`${path}/qr.png`} download={`loa-${slug}.png`}>
              {t('publicLink.png')}
            </a>
            <a class="button secondary" href={`${path}/qr.svg`} download={`loa-${slug}.svg`}>
              {t('publicLink.svg')}
            </a>
          </p>
        </div>
      </div>
    </section>
  )
}
