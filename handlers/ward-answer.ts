import type { Command, Feature, HandlerContext, TextHandler } from '#src/core/handler.js'
import { ANSWER_MAX } from '#src/domain/questions.js'
import { answerAsFocalPoint } from '#src/domain/ward-answers.js'
import { formatDateTime } from '#src/i18n.js'

/**
 * `/traloi <số> <câu trả lời>` (also "trả lời <số>: …"): a ward's focal point answers, in chat, a
 * resident's question routed to their unit (they were told of it: src/domain/ward-answers.ts).
 * Slash only for the command: "Trả lời …" starts ordinary sentences; without the slash the number
 * and the colon are what make it an answer.
 */
async function reply(ctx: HandlerContext, idText: string, answerText: string) {
  const { t } = ctx
  const id = Number(idText)
  const answer = answerText.trim()
  if (!Number.isSafeInteger(id) || id < 1 || !answer) return { text: t('ask.ward.usage') }
  if (answer.length > ANSWER_MAX) return { text: t('ask.ward.tooLong', { max: ANSWER_MAX }) }
  const { config } = ctx.deps
  const outcome = await answerAsFocalPoint(ctx.deps.db, { person: ctx.linked!.person, questionId: id, answer, now: ctx.now, holdDays: config.answerHoldDays })
  switch (outcome.status) {
    case 'answered':
      return { text: t(outcome.delivered ? 'ask.ward.sent' : 'ask.ward.unreachable', { id }) }
    case 'already':
      return { text: t('ask.ward.already', { id, at: formatDateTime(outcome.question.answeredAt!, config.timezone) }) }
    case 'not_focal':
      return { text: t('ask.ward.notFocal') }
    case 'not_found':
      return { text: t('ask.ward.notFound', { id }) }
    case 'not_yours':
      return { text: t('ask.ward.notYours', { id }) }
  }
}

const traloi: Command = {
  names: ['traloi'],
  slashOnly: true,
  run: (ctx, args) => {
    const m = /^\s*#?(\d+)\s*[:.,-]?\s*([\s\S]*)$/u.exec(args)
    return m ? reply(ctx, m[1]!, m[2]!) : Promise.resolve({ text: ctx.t('ask.ward.usage') })
  },
}

/** "trả lời 12: …" (with or without diacritics): the number and the colon make it an answer. */
const answerWithoutSlash: TextHandler = {
  name: 'ward-answer-without-slash',
  async run(ctx, text) {
    const m = /^\s*(trả\s*lời|tra\s*loi)\s+(?:câu\s+(?:hỏi\s+)?|số\s+)?#?(\d+)\s*:\s*([\s\S]+)$/iu.exec(text.normalize('NFC'))
    if (!m || !ctx.linked || !ctx.event.isPrivate) return null
    return reply(ctx, m[2]!, m[3]!)
  },
}

export const wardAnswerFeature: Feature = { commands: [traloi], text: [answerWithoutSlash] }
