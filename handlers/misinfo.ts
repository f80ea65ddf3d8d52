import type { ChoiceHandler, Command, Feature, HandlerContext, Reply, TextHandler } from '#src/core/handler.js'
import { choiceIds } from '#src/core/choice-ids.js'
import type { OutboundMessage } from '#src/core/events.js'
import { errorDetails } from '#src/log.js'
import { formatDateTime, normalize } from '#src/i18n.js'
import { fold } from '#src/domain/library/fold.js'
import { parseCaseCode } from '#src/domain/misinformation/codes.js'
import { acknowledgeRouting, liaisonAcknowledgedAt, pendingForLiaison, statusForReporter, statusName } from '#src/domain/misinformation/claims.js'
import { fileReport, keepImage, markCorrectionSent, reportLinks, type Reporter, type StoredImage } from '#src/domain/misinformation/intake.js'
import { MAX_REPORT_TEXT } from '#src/domain/misinformation/schemas.js'
import { asSubscriber, withNotice } from './public.js'

/**
 * The misinformation desk in chat (issue 23). Anyone — staff and people outside the directory —
 * reports false information with `/baotin <nội dung, link>` (also `/tinsai`, or "tin sai: …"),
 * with a photo where the channel brings one; the reply gives the case code at once. `/baotin <mã>`
 * tells that case's reporters its status. An agency's liaison acknowledges a routed case with the
 * "Đã nhận" button, "1" on Zalo, or by typing "đã nhận".
 */

/** The reply to `/baotin <mã>`: the status for one of that case's reporters, "not found" for anyone else. */
async function status(ctx: HandlerContext, code: string): Promise<OutboundMessage> {
  const { t } = ctx
  const found = await statusForReporter(ctx.deps.db, code, { kind: 'chat', channel: ctx.event.channel, chatId: ctx.event.chatId })
  if (!found) return { text: t('misinfo.notFound', { code }) }
  const line = t('misinfo.status', { code: found.code, at: formatDateTime(found.receivedAt, ctx.deps.config.timezone), status: statusName(ctx.locale, found.status) })
  return { text: found.correctionText ? `${line}\n\n${t('misinfo.statusCorrection', { correction: found.correctionText })}` : line }
}

/** The image a message carries, kept in the media store (Node); null where images are not kept or it failed. */
async function image(ctx: HandlerContext): Promise<{ stored: StoredImage | null; sent: boolean }> {
  const sent = ctx.event.image
  if (!sent) return { stored: null, sent: false }
  try {
    return { stored: await keepImage(ctx.deps.media, ctx.channel, sent), sent: true }
  } catch (err) {
    ctx.deps.logger.warn({ err: errorDetails(err), channel: ctx.event.channel }, 'misinformation image not kept')
    return { stored: null, sent: true }
  }
}

async function report(ctx: HandlerContext, args: string): Promise<Reply> {
  const { t } = ctx
  const text = args.trim()
  const code = parseCaseCode(text)
  // "/baotin TS-7KQ2" alone asks for the status; a code inside a longer text is part of a report.
  if (code && text.replace(/\bTS[-\s]?[A-Z0-9]{4}\b/i, '').trim() === '') return status(ctx, code)
  if (text.length > MAX_REPORT_TEXT) return { text: t('misinfo.tooLong', { max: MAX_REPORT_TEXT }) }
  const img = await image(ctx)
  if (!text && !img.stored) return { text: t('misinfo.usage') }
  let reporter: Reporter
  let notice: string | null = null
  if (ctx.linked) reporter = { kind: 'person', personId: ctx.linked.person.id }
  else {
    const s = await asSubscriber(ctx)
    reporter = { kind: 'subscriber', subscriberId: s.subscriber.id }
    notice = s.notice
  }
  const filed = await fileReport(
    ctx.deps.db,
    { channel: ctx.event.channel, text, reporter, chatId: ctx.event.chatId, image: img.stored, updateId: ctx.event.updateId, now: ctx.now },
    { similarity: ctx.deps.config.misinfoSimilarity },
  )
  const { claim, report: r } = filed
  let reply: string
  if (claim.status === 'corrected' && claim.correctionText) {
    // A later reporter of something already corrected gets the correction at once, in the reply.
    reply = t('misinfo.receivedWithCorrection', { code: r.code, correction: claim.correctionText })
    if (!filed.duplicate) await markCorrectionSent(ctx.deps.db, r.id, ctx.now)
  } else reply = t('misinfo.received', { code: r.code })
  if (img.sent && !img.stored) reply += `\n\n${t('misinfo.imageNotKept')}`
  return withNotice({ text: reply }, notice)
}

const baotin: Command = {
  names: ['baotin', 'tinsai'],
  slashOnly: true,
  // Anyone may report: a chat not linked to the directory reports as a subscriber.
  requiresLink: false,
  run: (ctx, args) => report(ctx, args),
}

/** "tin sai: …", "TIN SAI …", "Tin sai" with a photo: written any case, with or without diacritics. */
const PREFIX = /^\s*([\p{L}\p{M}]+)\s*([\p{L}\p{M}]*)\s*[:：\-–]?\s*([\s\S]*)$/u

/** The report's text after a "tin sai" prefix; null when the message does not start with it. */
export function afterTinSai(text: string): string | null {
  const m = PREFIX.exec(text.normalize('NFC'))
  if (!m) return null
  if (fold(m[1]!) === 'tinsai') return `${m[2]!} ${m[3]!}`.trim()
  if (fold(m[1]!) === 'tin' && fold(m[2]!) === 'sai') return m[3]!.trim()
  return null
}

const tinSaiText: TextHandler = {
  name: 'misinfo-report',
  async run(ctx, text) {
    if (!ctx.event.isPrivate) return null
    const rest = afterTinSai(text)
    if (rest === null) return null
    // "tin sai" with nothing after it and no photo: how to report.
    if (!rest && !ctx.event.image && reportLinks(text).length === 0) return { text: ctx.t('misinfo.usage') }
    return report(ctx, rest)
  },
}

async function liaisonAck(ctx: HandlerContext, claimId: number): Promise<OutboundMessage> {
  const { t } = ctx
  const outcome = await acknowledgeRouting(ctx.deps.db, claimId, ctx.linked!.person.id, ctx.now)
  if (outcome === 'acknowledged') return { text: t('misinfo.liaison.acknowledged', { id: claimId }) }
  if (outcome === 'already') {
    const at = await liaisonAcknowledgedAt(ctx.deps.db, claimId)
    return { text: t('misinfo.liaison.already', { id: claimId, at: at ? formatDateTime(at, ctx.deps.config.timezone) : '' }) }
  }
  return { text: t('misinfo.liaison.notYours', { id: claimId }) }
}

const ackButton: ChoiceHandler = {
  prefix: choiceIds.misinfoAck.prefix,
  async run(ctx, choiceId) {
    const id = choiceIds.misinfoAck.parse(choiceId)
    if (id === null) return { text: ctx.t('common.unknown') }
    return liaisonAck(ctx, id)
  },
}

/** A liaison's typed "đã nhận" (optionally with the case number): the latest case waiting for them. */
const ackTyped: TextHandler = {
  name: 'misinfo-ack',
  async run(ctx, text) {
    if (!ctx.linked) return null
    const m = /^(?:da nhan|received)\s*(?:ho so\s*)?(?:so\s*)?#?(\d{1,12})?\s*[.!]?$/.exec(normalize(text).trim())
    if (!m) return null
    const id = m[1] ? Number(m[1]) : await pendingForLiaison(ctx.deps.db, ctx.linked.person.id, ctx.now)
    // Not a liaison with a case waiting: "đã nhận" may mean something else to another feature.
    if (id === null) return null
    return liaisonAck(ctx, id)
  },
}

export const misinfoFeature: Feature = { commands: [baotin], choices: [ackButton], text: [tinSaiText, ackTyped] }
