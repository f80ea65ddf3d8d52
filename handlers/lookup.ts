import type { Command, Feature, HandlerContext, TextHandler } from '#src/core/handler.js'
import { ZALO_MAX_TEXT } from '#src/core/text.js'
import type { Product } from '#src/domain/library/products.js'
import { searchProducts } from '#src/domain/library/search.js'
import { matchProducts } from '#src/domain/library/suggest.js'

/** At most this many entries in one answer; fewer when they would not fit one Zalo message. */
const SHOWN = 5
const NEWEST = 3
const TITLE_MAX = 150
const LINE_MAX = 160

const clip = (text: string, max: number): string => {
  const one = text.replace(/\s+/g, ' ').trim()
  return one.length <= max ? one : `${one.slice(0, max - 1).trimEnd()}…`
}

/**
 * An entry as three short lines: title (kind, "nội bộ" for an internal one), one line of its summary
 * or body, and its link: the public page /thu-vien/<slug> on PUBLIC_URL for a public entry, the
 * entry's own link for an internal one (its public page is 404 to anyone).
 */
function entryText(ctx: HandlerContext, p: Product, n: number): string {
  const { t } = ctx
  const kind = t(`library.kinds.${p.kind}`)
  const tag = p.audience === 'internal' ? `${kind}, ${t('lookup.internal')}` : kind
  const lines = [`${n}. ${clip(p.title, TITLE_MAX)} (${tag})`]
  const line = clip(p.summary || p.body, LINE_MAX)
  if (line) lines.push(line)
  const base = ctx.deps.config.publicUrl
  const link = p.audience === 'public' && base ? `${base}/thu-vien/${p.slug}` : p.link
  if (link) lines.push(link)
  return lines.join('\n')
}

/** The head and as many entries as fit one Zalo message (2,000 characters): trimmed, never split. */
function listText(ctx: HandlerContext, head: string, items: readonly Product[], tail?: string): string {
  let text = head
  let shown = 0
  for (const p of items) {
    const next = `${text}\n\n${entryText(ctx, p, shown + 1)}`
    if (next.length + (tail ? tail.length + 2 : 0) > ZALO_MAX_TEXT) break
    text = next
    shown++
  }
  if (shown < items.length && text.length + ctx.t('lookup.more').length + 2 <= ZALO_MAX_TEXT) text += `\n\n${ctx.t('lookup.more')}`
  return tail ? `${text}\n\n${tail}` : text
}

/**
 * `/tracuu <từ khoá>` (also /tim, /lookup, "tra cứu: …"): the library searched as people type
 * (every word, marks or not; issue 22), else its entries nearest to the words. A linked chat (staff)
 * sees internal entries too, any other chat public ones only. Empty: how to use it, and the newest.
 */
async function lookup(ctx: HandlerContext, args: string) {
  const { t } = ctx
  const q = args.trim().slice(0, 200)
  const visibility = ctx.linked ? 'staff' : 'public'
  if (!q) {
    const newest = await searchProducts(ctx.deps.db, '', { visibility, limit: NEWEST, now: ctx.now })
    return { text: newest.length ? listText(ctx, `${t('lookup.usage')}\n\n${t('lookup.newest')}`, newest) : `${t('lookup.usage')}\n${t('lookup.empty')}` }
  }
  const shownQ = clip(q, 80)
  const found = await searchProducts(ctx.deps.db, q, { visibility, limit: SHOWN + 1, now: ctx.now })
  if (found.length) return { text: listText(ctx, t('lookup.found', { q: shownQ }), found) }
  const near = await matchProducts(ctx.deps.db, q, { visibility, now: ctx.now, limit: SHOWN })
  if (near.length) return { text: listText(ctx, t('lookup.near', { q: shownQ }), near.map((m) => m.product)) }
  return { text: ctx.linked ? `${t('lookup.none', { q: shownQ })}\n${t('lookup.noneAsk')}` : t('lookup.none', { q: shownQ }) }
}

const tracuu: Command = {
  names: ['tracuu', 'tim', 'timkiem', 'lookup'],
  requiresLink: false,
  slashOnly: true,
  run: (ctx, args) => lookup(ctx, args),
}

/** "tra cứu: …" / "tra cuu: …" / "lookup: …" without the slash: the colon makes it a search, as "hỏi đáp:" makes a question. */
const lookupWithoutSlash: TextHandler = {
  name: 'lookup-without-slash',
  async run(ctx, text) {
    const m = /^\s*(tra\s*cứu|tra\s*cuu|tìm\s*kiếm|tim\s*kiem|lookup)\s*:\s*([\s\S]*)$/iu.exec(text.normalize('NFC'))
    return m ? lookup(ctx, m[2]!) : null
  },
}

export const lookupFeature: Feature = { commands: [tracuu], text: [lookupWithoutSlash] }
