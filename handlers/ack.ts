import type { ChoiceHandler, Feature, HandlerContext, TextHandler } from '#src/core/handler.js'
import { ackTarget, recordAck, type AckResult } from '#src/domain/broadcast/service.js'
import { formatDateTime, normalize } from '#src/i18n.js'
import { trimEndWhere } from '#src/util.js'
import { choiceIds } from '#src/core/choice-ids.js'

/** Typed acknowledgements, compared without diacritics: "đã đọc", "da doc", "ok", "1", "read". */
const ACK_WORDS = new Set(['da doc', 'dadoc', 'da doc roi', 'da xem', 'ok', 'oke', 'okay', '1', 'read'])
/** Words that only mean "I read it", so they get an answer even when nothing is waiting. */
const EXPLICIT = new Set(['da doc', 'dadoc', 'da doc roi', 'da xem', 'read'])
/** Punctuation and spaces after the word ("ok!", "đã đọc.") do not change it. */
const TRAILING = /^[.!,;:)\s]$/u

/** The typed word as compared with ACK_WORDS; linear in the text's length. */
export function ackWord(text: string): string {
  return trimEndWhere(normalize(text), (ch) => TRAILING.test(ch))
}

function answer(ctx: HandlerContext, result: AckResult) {
  const { t, deps } = ctx
  if (result.status === 'unknown' || result.status === 'not_for_you') return { text: t('broadcast.ackUnknown') }
  const params = {
    title: result.broadcast.title || t('broadcast.untitled'),
    time: formatDateTime(result.ackedAt, deps.config.timezone),
  }
  return { text: t(result.status === 'recorded' ? 'broadcast.ackRecorded' : 'broadcast.ackAlready', params) }
}

/** The "Đã đọc" button under a brief (Telegram), or its number typed while it is the last offer. */
const ackButton: ChoiceHandler = {
  prefix: choiceIds.ack.prefix,
  async run(ctx, choiceId) {
    const id = choiceIds.ack.parse(choiceId)
    if (id === null) return { text: ctx.t('broadcast.ackUnknown') }
    return answer(ctx, await recordAck(ctx.deps.db, id, ctx.linked!.person.id, ctx.now, ctx.event.channel))
  },
}

/** On Zalo (no buttons) people reply "đã đọc", "ok" or "1": that acknowledges their latest brief. */
const ackText: TextHandler = {
  name: 'ack',
  async run(ctx, text) {
    if (!ctx.linked) return null
    const word = ackWord(text)
    if (!ACK_WORDS.has(word)) return null
    const target = await ackTarget(ctx.deps.db, ctx.linked.person.id)
    if (!target) return EXPLICIT.has(word) ? { text: ctx.t('broadcast.ackNothing') } : null
    return answer(ctx, await recordAck(ctx.deps.db, target.broadcastId, ctx.linked.person.id, ctx.now, ctx.event.channel))
  },
}

export const ackFeature: Feature = { choices: [ackButton], text: [ackText] }
