import type { Command, Feature, HandlerContext, TextHandler } from '#src/core/handler.js'
import { askQuestion, QUESTION_MAX, QUESTION_MIN } from '#src/domain/questions.js'
import { askPublicQuestion } from '#src/domain/public-questions.js'
import { asSubscriber, withNotice } from './public.js'

/**
 * `/hoidap <câu hỏi>` or `/ask <question>`: records a question for the Department. Slash only, and
 * the question in the same message: it never opens a conversation, so it cannot take the next
 * message that was meant for something else ("đã đọc", a check-in code), and it leaves a report or
 * check-in under way as it was.
 */
const hoidap: Command = {
  names: ['hoidap', 'ask'],
  slashOnly: true,
  // Anyone may ask: a chat not linked to the directory asks as a subscriber.
  requiresLink: false,
  run: (ctx, args) => ask(ctx, args),
}

async function ask(ctx: HandlerContext, args: string) {
  {
    const { t } = ctx
    const text = args.trim()
    if (!text) return { text: t('ask.usage') }
    if (text.length < QUESTION_MIN) return { text: t('ask.tooShort', { min: QUESTION_MIN }) }
    if (text.length > QUESTION_MAX) return { text: t('ask.tooLong', { max: QUESTION_MAX }) }
    if (!ctx.linked) return askAsSubscriber(ctx, text)
    const { person, unit } = ctx.linked
    const q = await askQuestion(ctx.deps.db, { personId: person.id, unitId: unit.id, channel: ctx.event.channel, text, now: ctx.now })
    return { text: t('ask.received', { id: q.id }) }
  }
}

/** A question from someone outside the directory: routed to their ward's unit, else the Department. */
async function askAsSubscriber(ctx: HandlerContext, text: string) {
  const { subscriber, notice } = await asSubscriber(ctx)
  const q = await askPublicQuestion(ctx.deps.db, { subscriber, channel: ctx.event.channel, text, now: ctx.now })
  if (!q) return { text: ctx.t('subscribers.noUnit') }
  return withNotice({ text: ctx.t('ask.received', { id: q.id }) }, notice)
}

/**
 * Without the slash: "hỏi đáp: …" (the colon makes it a question, as people write on Zalo) is
 * taken like /hoidap; "hỏi đáp …" without it may be "hồi đáp …", an ordinary sentence, so it only
 * gets a hint of how to ask. Reached only when no flow waits for the text.
 */
const askWithoutSlash: TextHandler = {
  name: 'ask-without-slash',
  async run(ctx, text) {
    // "hỏi đáp" as written, or with no diacritics at all; never "hồi đáp" (a reply), colon or not.
    const m = /^\s*(hỏi\s*đáp|hoi\s*dap|ask)\s*(:?)\s*([\s\S]*)$/iu.exec(text.normalize('NFC'))
    if (!m || !ctx.event.isPrivate) return null
    if (m[2] === ':') return ask(ctx, m[3]!)
    return { text: ctx.t('ask.hintSlash') }
  },
}

export const askFeature: Feature = { commands: [hoidap], text: [askWithoutSlash] }
