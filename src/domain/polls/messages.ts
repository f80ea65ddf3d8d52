import type { PollRow } from '#db/schema/index.js'
import { hasButtons, type ChannelName, type OutboundMessage } from '../../core/events.js'
import { choiceIds } from '../../core/choice-ids.js'
import { formatDateTime, type Translate } from '../../i18n.js'
import { optionLabels, type PollResults } from './results.js'

/**
 * The poll as one message: the question, then the options. Telegram lists them numbered in the
 * text with a numbered button each (long labels are cut on phones); Zalo gets them as numbered
 * choices, so a typed "2" (or the option's words) answers.
 */
export function pollMessage(t: Translate, poll: PollRow, channel: ChannelName, timeZone: string): OutboundMessage {
  const labels = optionLabels(poll, t)
  const closes = formatDateTime(poll.closesAt, timeZone)
  const lines = [t('poll.message', { title: poll.title, question: poll.question })]
  if (poll.kind === 'scale') lines.push(t('poll.scaleHint'))
  if (hasButtons(channel)) {
    lines.push('', ...labels.map((l, i) => `${i + 1}. ${l}`), '', t('poll.hintTelegram', { closes }), t('poll.changeHint'))
    return { text: lines.join('\n'), choices: labels.map((_l, i) => ({ id: choiceIds.poll.answer(poll.id, i), label: String(i + 1) })) }
  }
  lines.push(t('poll.hintZalo', { max: labels.length, closes }), t('poll.changeHint'))
  return { text: lines.join('\n'), choices: labels.map((l, i) => ({ id: choiceIds.poll.answer(poll.id, i), label: l })) }
}

/** The figures as respondents see them once the poll closed: a line per option, the mean of a scale. */
export function resultsText(t: Translate, r: PollResults): string {
  const { answered, counts, average } = r.total
  const lines = [t('poll.resultsHead', { title: r.title, answered })]
  counts.forEach((count, i) => {
    lines.push(t('poll.resultsLine', { number: i + 1, label: r.options[i]!, count, share: answered ? Math.round((count / answered) * 100) : 0 }))
  })
  if (average !== null) lines.push(t('poll.resultsAverage', { average }))
  return lines.join('\n')
}
