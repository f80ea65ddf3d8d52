import type { ChoiceHandler, Feature, HandlerContext, TextHandler } from '#src/core/handler.js'
import type { OutboundMessage } from '#src/core/events.js'
import { confirmLatestRelay, confirmRelay, type RelayResult } from '#src/domain/broadcast/relay.js'
import { formatDateTime } from '#src/i18n.js'
import { ackWord } from './ack.js'
import { choiceIds } from '#src/core/choice-ids.js'

/**
 * Typed confirmations that a brief was relayed to the unit's group, compared without diacritics
 * and trailing punctuation: "đã chuyển", "da chuyen", "Đã chuyển rồi", "relayed", …
 */
const RELAY_WORDS = new Set([
  'da chuyen',
  'dachuyen',
  'da chuyen roi',
  'da chuyen tiep',
  'da chuyen tiep roi',
  'da chuyen vao nhom',
  'da chuyen vao nhom roi',
  'relayed',
  'forwarded',
  'relayed to the group',
])

export function isRelayWord(text: string): boolean {
  return RELAY_WORDS.has(ackWord(text))
}

function answer(ctx: HandlerContext, result: RelayResult): OutboundMessage {
  const { t } = ctx
  const time = (at: Date) => formatDateTime(at, ctx.deps.config.timezone)
  switch (result.status) {
    case 'nothing':
      return { text: t('relay.nothing') }
    case 'unknown':
      return { text: t('relay.unknown') }
    case 'cancelled':
      return { text: t('relay.cancelled', { title: result.title }) }
    case 'already':
      return { text: t('relay.already', { title: result.title, time: time(result.confirmedAt) }) }
    case 'recorded': {
      const lines = [t('relay.confirmed', { title: result.title, unit: result.unitName, time: time(result.confirmedAt) })]
      if (result.latestOfSeveral) lines.push(t('relay.confirmedLatest', { title: result.title }))
      if (result.next) lines.push(t('relay.stillPending', { count: result.next.count, title: result.next.title }))
      return { text: lines.join('\n') }
    }
  }
}

/** The "Đã chuyển vào nhóm" button under the note that comes with the forward-ready copy (Telegram). */
const relayButton: ChoiceHandler = {
  prefix: choiceIds.relay.prefix,
  async run(ctx, choiceId) {
    const id = choiceIds.relay.parse(choiceId)
    if (id === null) return { text: ctx.t('relay.unknown') }
    return answer(ctx, await confirmRelay(ctx.deps.db, id, ctx.linked!.person.id, ctx.now))
  },
}

/** "đã chuyển" typed (Zalo has no buttons): confirms the latest brief waiting to be relayed. */
const relayText: TextHandler = {
  name: 'relay',
  async run(ctx, text) {
    if (!ctx.linked || !isRelayWord(text)) return null
    return answer(ctx, await confirmLatestRelay(ctx.deps.db, ctx.linked.person.id, ctx.now))
  },
}

export const relayFeature: Feature = { choices: [relayButton], text: [relayText] }
