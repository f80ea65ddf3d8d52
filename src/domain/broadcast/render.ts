import { personalUrl } from '../web/personal.js'
import type { DeliveryRow } from '#db/schema/index.js'
import { hasButtons, type MessengerName, type OutboundMessage } from '../../core/events.js'
import { numberedChoicesText, splitText, TELEGRAM_MAX_TEXT, ZALO_MAX_TEXT } from '../../core/text.js'
import type { AppDeps } from '../../deps.js'
import { translator } from '../../i18n.js'
import { partsOf, type Renderer } from '../../delivery/dispatcher.js'
import type { Locale } from '#db/schema/index.js'
import { getBroadcast, settleBroadcasts, type BroadcastRow } from './service.js'
import { choiceIds } from '../../core/choice-ids.js'


/**
 * The message one recipient gets, in their language: kind, title, body, link, image, and, when the
 * broadcast asks for it, a "Đã đọc" button (numbered "1. Đã đọc" on Zalo, with a line saying that
 * typing "đã đọc" works too).
 */
export function renderBroadcast(
  b: Pick<BroadcastRow, 'id' | 'kind' | 'title' | 'body' | 'link' | 'imageUrl' | 'requireAck'>,
  d: Pick<DeliveryRow, 'locale' | 'channel'>,
  pageUrl?: string,
): OutboundMessage {
  const t = translator(d.locale)
  const parts = [t(`broadcast.kind.${b.kind}`)]
  if (b.title) parts.push(b.title)
  const lines = [parts.join('\n'), b.body]
  if (b.link) lines.push(t('broadcast.link', { link: b.link }))
  if (pageUrl) lines.push(t('broadcast.pageLink', { url: pageUrl }))
  if (b.requireAck && !hasButtons(d.channel)) lines.push(t('broadcast.ackHintZalo'))
  const message: OutboundMessage = { text: lines.join('\n\n') }
  if (b.imageUrl) message.imageUrl = b.imageUrl
  if (b.requireAck) message.choices = [{ id: choiceIds.ack.of(b.id), label: t('broadcast.ackButton') }]
  // On the Zalo bot the line above says "trả lời đã đọc (hoặc 1)": no numbered list repeats it.
  if (b.requireAck && !hasButtons(d.channel)) message.choicesInText = true
  return message
}

/**
 * Broadcast rows read in the last moments, per database: a 100,000-recipient broadcast renders the
 * same row 100,000 times. A cancellation is seen within CACHE_MS.
 */
const CACHE_MS = 2000
const cache = new WeakMap<object, Map<number, { row: BroadcastRow | undefined; at: number }>>()
async function cachedBroadcast(deps: AppDeps, id: number) {
  let rows = cache.get(deps.db)
  if (!rows) cache.set(deps.db, (rows = new Map()))
  const hit = rows.get(id)
  const now = Date.now()
  if (hit && now - hit.at < CACHE_MS) return hit.row
  const row = await getBroadcast(deps.db, id)
  if (rows.size > 100) rows.clear()
  rows.set(id, { row, at: now })
  return row
}

/** Outbox renderer for source 'broadcast'. A cancelled broadcast is not sent. */
export const broadcastRenderer: Renderer = Object.assign(
  async (deps: AppDeps, d: DeliveryRow) => {
    const b = await cachedBroadcast(deps, d.sourceId)
    if (!b || b.status === 'cancelled') return null
    // A subscriber (no person) gets a public brief without the "Đã đọc" button: acknowledgement is for staff.
    const shown = d.personId == null ? { ...b, requireAck: false } : b
    return renderBroadcast(shown, d, await personalUrl(deps, 'broadcast', b.id, d.personId, d.channel))
  },
  {
    /** After a batch: broadcasts whose deliveries are all final become 'sent'. */
    settle: (deps: AppDeps, sourceIds: readonly number[]) => settleBroadcasts(deps.db, sourceIds),
  },
)

/** One message a chat will show: its text, its buttons (Telegram only), its image. */
export interface PreviewMessage {
  text: string
  buttons: string[]
  imageUrl?: string
}

/**
 * What a recipient will see on each platform, message by message, built by the same steps as a
 * real send: the broadcast's renderer for that channel, the dispatcher's split into single sends
 * (partsOf), then what each adapter does with a part: Telegram keeps the buttons under the last
 * part; Zalo, which has no buttons, numbers the choices under the text and splits at its limit.
 */
export function previewBroadcast(
  b: Pick<BroadcastRow, 'id' | 'kind' | 'title' | 'body' | 'link' | 'imageUrl' | 'requireAck'>,
  locale: Locale,
  pageUrl?: string,
): Record<MessengerName, PreviewMessage[]> {
  // Telegram and the Zalo OA show choices as buttons under the last part of the text.
  const withButtons = (channel: 'telegram' | 'zalo_oa', max: number) =>
    partsOf(renderBroadcast(b, { locale, channel }, pageUrl), max).flatMap((part) =>
      (part.text ? splitText(part.text, max) : ['']).map((text, i, all) => ({
        text,
        buttons: i === all.length - 1 ? (part.choices ?? []).map((c) => c.label) : [],
        ...(part.imageUrl && i === 0 ? { imageUrl: part.imageUrl } : {}),
      })),
    )
  const telegram = withButtons('telegram', TELEGRAM_MAX_TEXT)
  const zalo = partsOf(renderBroadcast(b, { locale, channel: 'zalo' }, pageUrl), ZALO_MAX_TEXT).flatMap((part) => {
    const image: PreviewMessage[] = part.imageUrl ? [{ text: '', buttons: [], imageUrl: part.imageUrl }] : []
    return [...image, ...splitText(numberedChoicesText(part), ZALO_MAX_TEXT).map((text) => ({ text, buttons: [] }))]
  })
  return { telegram, zalo, zalo_oa: withButtons('zalo_oa', ZALO_MAX_TEXT) }
}
