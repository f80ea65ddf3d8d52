import type { ChoiceHandler, Command, Feature, HandlerContext, Reply, TextHandler } from '#src/core/handler.js'
import { feedbackText, nextStep, questionMessage, scoreText } from '#src/domain/quiz/messages.js'
import {
  findParticipant,
  findQuizForChat,
  isEligible,
  openQuizzesFor,
  pendingQuizFor,
  progressOf,
  standingOf,
  quizWindow,
  recordAnswer,
  startAttempt,
} from '#src/domain/quiz/quizzes.js'
import type { QuizRow } from '#db/schema/index.js'
import { formatDateTime } from '#src/i18n.js'
import { choiceIds } from '#src/core/choice-ids.js'

/** Refuses politely outside the quiz's window; null when it is open. */
function windowRefusal(ctx: HandlerContext, quiz: QuizRow): Reply | null {
  const tz = ctx.deps.config.timezone
  switch (quizWindow(quiz, ctx.now)) {
    case 'not_open':
      return { text: ctx.t('quiz.notOpen', { title: quiz.title, at: formatDateTime(quiz.opensAt, tz) }) }
    case 'closed':
      return { text: ctx.t('quiz.closed', { title: quiz.title, at: formatDateTime(quiz.closesAt, tz) }) }
    case 'open':
      return null
  }
}

/** Starts the quiz, or picks it up at the first unanswered question. */
async function begin(ctx: HandlerContext, quiz: QuizRow): Promise<Reply> {
  const personId = ctx.linked!.person.id
  const refusal = windowRefusal(ctx, quiz)
  if (refusal) return refusal
  if (!(await isEligible(ctx.deps.db, quiz, personId))) return { text: ctx.t('quiz.notForYou') }
  const { progress, resumed } = await startAttempt(ctx.deps.db, quiz, personId, ctx.now)
  if (progress.next === null) return { text: scoreText(ctx.t, quiz, progress, 'quiz.alreadyDone') }
  const count = quiz.questions.length
  const intro = resumed
    ? ctx.t('quiz.resuming', { title: quiz.title, number: progress.next + 1, count })
    : ctx.t('quiz.beginning', { title: quiz.title, count })
  return questionMessage(ctx.t, quiz, progress.next, ctx.event.channel, intro)
}

const kiemtra: Command = {
  names: ['kiemtra', 'quiz'],
  async run(ctx) {
    const open = await openQuizzesFor(ctx.deps.db, ctx.linked!.person.id, ctx.now)
    if (open.length === 0) return { text: ctx.t('quiz.noneOpen') }
    if (open.length === 1) return begin(ctx, open[0]!.quiz)
    const tz = ctx.deps.config.timezone
    return {
      text: ctx.t('quiz.chooseQuiz'),
      choices: open.map(({ quiz }) => ({
        id: choiceIds.quiz.start(quiz.id),
        label: ctx.t('quiz.quizLine', { title: quiz.title, closes: formatDateTime(quiz.closesAt, tz) }),
      })),
    }
  },
}

const answer: ChoiceHandler = {
  prefix: choiceIds.quiz.prefix,
  async run(ctx, choiceId) {
    const choice = choiceIds.quiz.parse(choiceId)
    const quiz = choice && (await findQuizForChat(ctx.deps.db, choice.quizId))
    if (!choice || !quiz) return { text: ctx.t('quiz.notFound') }
    if (choice.kind === 'start') return begin(ctx, quiz)

    const refusal = windowRefusal(ctx, quiz)
    if (refusal) return refusal
    const personId = ctx.linked!.person.id
    const standing = await standingOf(ctx.deps.db, quiz, personId)
    // An answer button of a quiz never started here (another person's forwarded message): start it instead.
    if (!standing) return begin(ctx, quiz)
    const { channel } = ctx.event
    const result = await recordAnswer(ctx.deps.db, {
      quiz,
      standing,
      index: choice.question,
      option: choice.option,
      channel,
      now: ctx.now,
    })
    switch (result.status) {
      case 'recorded':
        return nextStep(ctx.t, quiz, result.progress, channel, feedbackText(ctx.t, quiz, result.index, result.correct), 'quiz.finished')
      case 'already':
        return nextStep(ctx.t, quiz, result.progress, channel, ctx.t('quiz.alreadyAnswered', { number: result.index + 1 }))
      case 'out_of_turn':
        return nextStep(ctx.t, quiz, result.progress, channel)
    }
  },
}

/**
 * Text that matched no choice while a quiz is unfinished (a Zalo reply like "e" to four options):
 * the question is asked again rather than "I did not understand".
 */
const pending: TextHandler = {
  name: 'quiz-pending',
  async run(ctx) {
    if (!ctx.linked || !ctx.event.isPrivate) return null
    const quiz = await pendingQuizFor(ctx.deps.db, ctx.linked.person.id, ctx.now)
    if (!quiz) return null
    const participant = await findParticipant(ctx.deps.db, quiz.id, ctx.linked.person.id)
    if (!participant) return null
    const progress = await progressOf(ctx.deps.db, quiz, participant)
    if (progress.next === null) return null
    return questionMessage(ctx.t, quiz, progress.next, ctx.event.channel, ctx.t('quiz.pending', { title: quiz.title }))
  },
}

export const quizFeature: Feature = { commands: [kiemtra], choices: [answer], text: [pending] }
