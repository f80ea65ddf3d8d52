import type { Command, Feature } from '../src/core/handler.js'
import { askQuestion, QUESTION_MAX, QUESTION_MIN } from '../src/domain/questions.js'

/**
 * `/hoidap <câu hỏi>` or `/ask <question>`: records a question for the Department. Slash only, and
 * the question in the same message: it never opens a conversation, so it cannot take the next
 * message that was meant for something else ("đã đọc", a check-in code), and it leaves a report or
 * check-in under way as it was.
 */
const hoidap: Command = {
  names: ['hoidap', 'ask'],
  slashOnly: true,
  async run(ctx, args) {
    const { t } = ctx
    const text = args.trim()
    if (!text) return { text: t('ask.usage') }
    if (text.length < QUESTION_MIN) return { text: t('ask.tooShort', { min: QUESTION_MIN }) }
    if (text.length > QUESTION_MAX) return { text: t('ask.tooLong', { max: QUESTION_MAX }) }
    const { person, unit } = ctx.linked!
    const q = await askQuestion(ctx.deps.db, { personId: person.id, unitId: unit.id, channel: ctx.event.channel, text, now: ctx.now })
    return { text: t('ask.received', { id: q.id }) }
  },
}

export const askFeature: Feature = { commands: [hoidap] }
