import type { QuizRow } from '#db/schema/index.js'
import { hasButtons, type ChannelName, type OutboundMessage } from '../../core/events.js'
import { formatDateTime, type Translate } from '../../i18n.js'
import type { Progress } from './quizzes.js'
import { choiceIds } from '../../core/choice-ids.js'

const letter = (i: number) => String.fromCharCode(65 + i)
const percent = (x: number) => Math.round(x * 100)

/**
 * The invitation. Telegram gets a start button; Zalo gets the same choice as a numbered line and
 * the words to type ("kiem tra"), since it has no buttons.
 */
export function invitationMessage(t: Translate, quiz: QuizRow, channel: ChannelName, timeZone: string): OutboundMessage {
  const head = t('quiz.invitation', {
    title: quiz.title,
    count: quiz.questions.length,
    pass: percent(quiz.passMark),
    closes: formatDateTime(quiz.closesAt, timeZone),
  })
  const how = hasButtons(channel) ? t('quiz.invitationTelegram') : t('quiz.invitationZalo')
  const message: OutboundMessage = { text: `${head}\n${how}`, choices: [{ id: choiceIds.quiz.start(quiz.id), label: t('quiz.start') }] }
  // The Zalo bot's line says "trả lời 1 hoặc gõ kiểm tra": no numbered "1. Bắt đầu" under it.
  if (!hasButtons(channel)) message.choicesInText = true
  return message
}

/**
 * One question. On Telegram the options are listed A, B, C… in the text and the buttons carry
 * the letters (long labels are cut on phones); on Zalo the options are the numbered choices
 * themselves, so the number, the letter or the option's text all match.
 */
export function questionMessage(t: Translate, quiz: QuizRow, index: number, channel: ChannelName, intro?: string): OutboundMessage {
  const q = quiz.questions[index]!
  const head = t('quiz.question', { number: index + 1, count: quiz.questions.length, text: q.text })
  const lines = intro ? [intro, '', head] : [head]
  if (hasButtons(channel)) {
    lines.push('', ...q.options.map((o, i) => `${letter(i)}. ${o}`))
    return { text: lines.join('\n'), choices: q.options.map((_o, i) => ({ id: choiceIds.quiz.answer(quiz.id, index, i), label: letter(i) })) }
  }
  lines.push(t('quiz.hintZalo', { max: q.options.length, letter: letter(q.options.length - 1) }))
  return { text: lines.join('\n'), choices: q.options.map((o, i) => ({ id: choiceIds.quiz.answer(quiz.id, index, i), label: o })) }
}

export function feedbackText(t: Translate, quiz: QuizRow, index: number, correct: boolean): string {
  const q = quiz.questions[index]!
  const lines = [correct ? t('quiz.right') : t('quiz.wrong', { answer: `${letter(q.correct)}. ${q.options[q.correct]}` })]
  if (q.explanation) lines.push(t('quiz.explanation', { text: q.explanation }))
  return lines.join('\n')
}

export function scoreText(t: Translate, quiz: QuizRow, progress: Progress, key: 'quiz.finished' | 'quiz.alreadyDone'): string {
  const count = quiz.questions.length
  const correct = progress.participant.correctCount ?? progress.correct
  const passed = progress.participant.passed ?? false
  const lines = [t(key, { title: quiz.title, correct, count, score: percent(correct / count) })]
  lines.push(passed ? t('quiz.passed', { pass: percent(quiz.passMark) }) : t('quiz.failed', { pass: percent(quiz.passMark) }))
  return lines.join('\n')
}

/** Where the person stands: the next question (with `intro` above it), or their score when done. */
export function nextStep(t: Translate, quiz: QuizRow, progress: Progress, channel: ChannelName, intro?: string, doneKey: 'quiz.finished' | 'quiz.alreadyDone' = 'quiz.alreadyDone'): OutboundMessage {
  if (progress.next === null) {
    const score = scoreText(t, quiz, progress, doneKey)
    return { text: intro ? `${intro}\n\n${score}` : score }
  }
  return questionMessage(t, quiz, progress.next, channel, intro)
}
