import type { Command, Feature, Flow, HandlerContext, Reply } from '../src/core/handler.js'
import { askQuestion, QUESTION_MAX, QUESTION_MIN } from '../src/domain/questions.js'

const FLOW = 'ask'

/** Records the question, or says why not and keeps waiting for a better one. */
async function submit(ctx: HandlerContext, raw: string): Promise<Reply> {
  const text = raw.trim()
  const { t } = ctx
  if (text.length < QUESTION_MIN || text.length > QUESTION_MAX) {
    await ctx.setConversation({ flow: FLOW, step: 'text', data: {} })
    return { text: text.length < QUESTION_MIN ? t('ask.tooShort', { min: QUESTION_MIN }) : t('ask.tooLong', { max: QUESTION_MAX }) }
  }
  const { person, unit } = ctx.linked!
  const q = await askQuestion(ctx.deps.db, { personId: person.id, unitId: unit.id, channel: ctx.event.channel, text, now: ctx.now })
  if (ctx.conversation?.flow === FLOW) await ctx.clearConversation()
  return { text: t('ask.received', { id: q.id }) }
}

/**
 * `/hoidap <câu hỏi>` (`/ask`, on Zalo also "hoi dap …"); without a question, it is asked for. Not
 * "hoi": without diacritics it is also hội, hơi, hồi, and would take "Hội đồng…" typed as a quiz answer.
 */
const hoidap: Command = {
  names: ['hoidap', 'ask'],
  async run(ctx, args) {
    if (args.trim()) return submit(ctx, args)
    await ctx.setConversation({ flow: FLOW, step: 'text', data: {} })
    return { text: ctx.t('ask.prompt') }
  },
}

const waitForQuestion: Flow = {
  name: FLOW,
  async onText(ctx, text) {
    if (!ctx.linked) {
      await ctx.clearConversation()
      return { text: ctx.t('common.notLinked') }
    }
    return submit(ctx, text)
  },
}

export const askFeature: Feature = { commands: [hoidap], flows: [waitForQuestion] }
