import type { Command, Feature, HandlerContext, TextHandler } from '#src/core/handler.js'
import type { OutboundMessage } from '#src/core/events.js'
import { ZALO_MAX_TEXT } from '#src/core/text.js'
import { askForPerson, autoAnswer } from '#src/domain/library/auto-answer.js'
import type { Product } from '#src/domain/library/products.js'
import { askQuestion, QUESTION_MAX, QUESTION_MIN } from '#src/domain/questions.js'
import { askAsSubscriber } from './public.js'

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
    if (!ctx.linked) return askAsSubscriber(ctx, text, 'ask.received')
    const { person, unit } = ctx.linked
    const q = await askQuestion(ctx.deps.db, { personId: person.id, unitId: unit.id, channel: ctx.event.channel, text, now: ctx.now })
    const received = { text: t('ask.received', { id: q.id }) }
    const entry = await autoAnswer(ctx.deps.db, q, { now: ctx.now, minCoverage: ctx.deps.config.autoAnswerMinCoverage })
    return entry ? [received, autoAnswerMessage(ctx, entry, q.id)] : received
  }
}

/**
 * An FAQ entry's answer sent at once: ALWAYS labelled automatic (AI law 134/2025/QH15 Art. 11), and
 * with the way to a person; the entry's text is cut so that the whole stays one Zalo message.
 */
function autoAnswerMessage(ctx: HandlerContext, entry: Product, id: number): OutboundMessage {
  const { t } = ctx
  const base = ctx.deps.config.publicUrl
  const link = entry.audience === 'public' && base ? `${base}/thu-vien/${entry.slug}` : entry.link
  const tail = [link ? t('ask.autoAnswerLink', { link }) : '', t('ask.autoAnswerPerson', { id })].filter(Boolean).join('\n\n')
  const room = ZALO_MAX_TEXT - t('ask.autoAnswer', { title: entry.title, answer: '' }).length - tail.length - 4
  const full = (entry.body || entry.summary).trim()
  const answer = full.length <= room ? full : `${full.slice(0, Math.max(0, room - 1)).trimEnd()}…`
  return { text: `${t('ask.autoAnswer', { title: entry.title, answer })}\n\n${tail}` }
}

/** "gặp người" (or /gapnguoi) after an automatic answer: the question is marked for a person. */
async function person(ctx: HandlerContext) {
  const q = await askForPerson(ctx.deps.db, ctx.linked!.person.id, ctx.now)
  return { text: q ? ctx.t('ask.personAsked', { id: q.id }) : ctx.t('ask.personNone') }
}

const gapnguoi: Command = {
  names: ['gapnguoi', 'talktoaperson'],
  run: (ctx) => person(ctx),
}

const personWithoutSlash: TextHandler = {
  name: 'ask-person',
  async run(ctx, text) {
    if (!ctx.linked || !/^\s*["'«“]?\s*(gặp\s+người|gap\s+nguoi|talk\s+to\s+a\s+person)\s*["'»”]?\s*[.!]?\s*$/iu.test(text.normalize('NFC'))) return null
    return person(ctx)
  },
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

export const askFeature: Feature = { commands: [hoidap, gapnguoi], text: [askWithoutSlash, personWithoutSlash] }
