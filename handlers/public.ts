import type { SubscriberRow } from '#db/schema/index.js'
import { choiceIds } from '#src/core/choice-ids.js'
import type { OutboundMessage } from '#src/core/events.js'
import type { ChoiceHandler, Command, Feature, Flow, HandlerContext, Reply, TextHandler } from '#src/core/handler.js'
import { normalize } from '#src/i18n.js'
import { worthKeeping } from '#src/domain/inbox.js'
import { askPublicQuestion, latestUnrated, rateAnswer } from '#src/domain/public-questions.js'
import { QUESTION_MAX, QUESTION_MIN } from '#src/domain/questions.js'
import { eraseSubscriber, optIn, optOut, subscriberOf, touchSubscriber, wards } from '#src/domain/subscribers.js'
import { roomForNewUser } from '#src/domain/bot-users.js'
import { tellWardFocalPoints } from '#src/domain/ward-answers.js'

/**
 * The public side of the bots: a chat not linked to the directory (a parent, a student, a citizen)
 * becomes a subscriber when it writes. `/dangky` chooses a ward and records consent to public news,
 * `/huydangky` withdraws it, `/xoa` erases the subscriber at once; the first answer to a new
 * subscriber carries the privacy notice. Staff commands stay closed to them ("send your invite code").
 */

/** Ward buttons (numbered lines on Zalo) offered at most; more wards are narrowed by typing a name. */
const MAX_WARD_CHOICES = 20
const SUBSCRIBE_FLOW = 'subscribe'

export type SubscriberTurn = { subscriber: SubscriberRow; notice: string | null } | { refused: OutboundMessage }

/**
 * The chat's subscriber, made on its first message, and the privacy notice when it was just made;
 * or, when the bot's plan has no room for another user (the Zalo bot's), the polite refusal that
 * points to the OA and Telegram, and no subscriber.
 */
export async function asSubscriber(ctx: HandlerContext): Promise<SubscriberTurn> {
  const { channel, chatId } = ctx.event
  if (ctx.channel.limits?.userLimit && !(await subscriberOf(ctx.deps.db, channel, chatId)) && !(await roomForNewUser(ctx.deps, channel, ctx.now))) {
    const username = ctx.deps.config.telegram?.username
    return { refused: { text: ctx.t('subscribers.botFull', { telegram: username ? ` (https://t.me/${username})` : '' }) } }
  }
  const { subscriber, notice } = await touchSubscriber(ctx.deps.db, { channel, chatId, locale: ctx.locale, now: ctx.now })
  return { subscriber, notice: notice ? ctx.t('subscribers.privacy', { days: ctx.deps.config.subscriberRetentionDays }) : null }
}

/** The privacy notice as the last line of the first reply's text. */
export function withNotice(reply: OutboundMessage, notice: string | null): OutboundMessage {
  return notice ? { ...reply, text: `${reply.text}\n\n${notice}` } : reply
}

/** Wards matching `query`: one is chosen at once, a few are offered, too many (or none) ask for a name. */
async function offerWards(ctx: HandlerContext, subscriber: SubscriberRow, query: string): Promise<OutboundMessage> {
  const found = await wards(ctx.deps.db, query)
  if (found.length === 1 && query) return register(ctx, subscriber, found[0]!)
  if (found.length === 0) {
    if (!query) return { text: ctx.t('subscribers.noWards') }
    await ctx.setConversation({ flow: SUBSCRIBE_FLOW, step: 'ward', data: {} })
    return { text: ctx.t('subscribers.noWardMatch', { query: query.slice(0, 40) }) }
  }
  if (found.length > MAX_WARD_CHOICES) {
    await ctx.setConversation({ flow: SUBSCRIBE_FLOW, step: 'ward', data: {} })
    return { text: ctx.t('subscribers.typeWard') }
  }
  await ctx.clearConversation()
  return { text: ctx.t('subscribers.pickWard'), choices: found.map((w) => ({ id: choiceIds.subscribe.ward(w.id), label: w.name })) }
}

async function register(ctx: HandlerContext, subscriber: SubscriberRow, ward: { id: number; name: string }): Promise<OutboundMessage> {
  await optIn(ctx.deps.db, subscriber.id, ward.id, ctx.now)
  await ctx.clearConversation()
  return { text: ctx.t('subscribers.registered', { ward: ward.name }) }
}

/** The Telegram deep link's payload that starts `/dangky` (`t.me/<bot>?start=dangky`, offered on /theo-doi). */
export const SUBSCRIBE_START = 'dangky'

/** `/dangky [ward]`, also from the deep link's Start. */
export async function subscribe(ctx: HandlerContext, args: string): Promise<OutboundMessage> {
  if (ctx.linked) return { text: ctx.t('subscribers.staffAlready') }
  const turn = await asSubscriber(ctx)
  if ('refused' in turn) return turn.refused
  return withNotice(await offerWards(ctx, turn.subscriber, args.trim()), turn.notice)
}

const dangky: Command = {
  names: ['dangky', 'subscribe'],
  requiresLink: false,
  run: subscribe,
}

const wardFlow: Flow = {
  name: SUBSCRIBE_FLOW,
  async onText(ctx, text) {
    if (ctx.linked) {
      await ctx.clearConversation()
      return { text: ctx.t('subscribers.staffAlready') }
    }
    const turn = await asSubscriber(ctx)
    if ('refused' in turn) {
      await ctx.clearConversation()
      return turn.refused
    }
    return offerWards(ctx, turn.subscriber, text)
  },
}

const pickWard: ChoiceHandler = {
  prefix: choiceIds.subscribe.prefix,
  requiresLink: false,
  async run(ctx, choiceId) {
    if (ctx.linked) return { text: ctx.t('subscribers.staffAlready') }
    const wardId = choiceIds.subscribe.parse(choiceId)
    const ward = (await wards(ctx.deps.db)).find((w) => w.id === wardId)
    if (!ward) return { text: ctx.t('common.unknown') }
    const turn = await asSubscriber(ctx)
    if ('refused' in turn) return turn.refused
    return withNotice(await register(ctx, turn.subscriber, ward), turn.notice)
  },
}

const huydangky: Command = {
  names: ['huydangky', 'unsubscribe'],
  requiresLink: false,
  async run(ctx) {
    if (ctx.linked) return { text: ctx.t('subscribers.staffAlready') }
    const found = await subscriberOf(ctx.deps.db, ctx.event.channel, ctx.event.chatId)
    if (!found || !(await optOut(ctx.deps.db, found.id, ctx.now))) return { text: ctx.t('subscribers.notRegistered') }
    return { text: ctx.t('subscribers.unregistered') }
  },
}

const xoa: Command = {
  names: ['xoa', 'erase'],
  requiresLink: false,
  async run(ctx) {
    if (ctx.linked) return { text: ctx.t('subscribers.staffNoErase') }
    const found = await subscriberOf(ctx.deps.db, ctx.event.channel, ctx.event.chatId)
    if (!found) return { text: ctx.t('subscribers.nothingToErase') }
    await eraseSubscriber(ctx.deps.db, found.id)
    return { text: ctx.t('subscribers.erased') }
  },
}

async function rate(ctx: HandlerContext, questionId: number, choice: 1 | 2): Promise<Reply> {
  const found = await subscriberOf(ctx.deps.db, ctx.event.channel, ctx.event.chatId)
  if (!found) return { text: ctx.t('subscribers.rateUnknown') }
  const outcome = await rateAnswer(ctx.deps.db, { questionId, subscriberId: found.id, rating: choice === 1 ? 'satisfied' : 'unsatisfied', now: ctx.now })
  if (outcome === 'not_found') return { text: ctx.t('subscribers.rateUnknown') }
  return { text: ctx.t(outcome === 'rated' ? 'subscribers.rated' : 'subscribers.alreadyRated') }
}

const pressRating: ChoiceHandler = {
  prefix: choiceIds.rating.prefix,
  requiresLink: false,
  async run(ctx, choiceId) {
    const parsed = choiceIds.rating.parse(choiceId)
    if (!parsed) return { text: ctx.t('common.unknown') }
    return rate(ctx, parsed.questionId, parsed.choice)
  },
}

/** "1", "2", "hài lòng", "chưa hài lòng" typed after an answer (Zalo shows the choices as numbered lines). */
function typedRating(text: string): 1 | 2 | null {
  const n = normalize(text).replace(/[.\s]+/g, ' ').trim()
  if (n === '1' || n === '1 hai long' || n === 'hai long' || n === 'satisfied' || n === '1 satisfied') return 1
  if (n === '2' || n === '2 chua hai long' || n === 'chua hai long' || n === 'not satisfied' || n === '2 not satisfied') return 2
  return null
}

/**
 * The last free-text handler for a chat not linked to the directory: a rating typed after an
 * answer, else the public welcome (how to ask, to subscribe, or to link as staff). Either way the
 * chat is a subscriber from now on, and its first reply carries the privacy notice.
 */
const publicText: TextHandler = {
  name: 'public',
  async run(ctx, text) {
    if (ctx.linked || !ctx.event.isPrivate) return null
    const turn = await asSubscriber(ctx)
    if ('refused' in turn) return turn.refused
    const choice = typedRating(text)
    const questionId = choice ? await latestUnrated(ctx.deps.db, turn.subscriber.id) : null
    if (choice && questionId) return rate(ctx, questionId, choice)
    // A message left for the Department ("Con tôi học lớp 6, khi nào…") is a question, as /hoidap
    // makes one; a greeting, thanks, or a word or two (a staff member's "đã chuyển" before linking)
    // gets the welcome instead.
    const said = text.trim()
    if (isLeftMessage(said)) return askAsSubscriber(ctx, said, 'subscribers.messageKept', turn)
    return withNotice({ text: ctx.t('subscribers.welcome') }, turn.notice)
  },
}

/** Words that open a greeting or thanks: "xin chào ạ", "cảm ơn Sở nhiều" are not questions. */
const COURTESY = /^(xin chao|chao|cam on|xin cam on|hello|hi|thanks?|thank you)\b/

/** A message worth a person's answer: three words or more, not a courtesy, within a question's length. */
export function isLeftMessage(text: string): boolean {
  const words = text.split(/\s+/).filter((w) => /[\p{L}\p{N}]/u.test(w))
  if (words.length < 3 || text.length < QUESTION_MIN || text.length > QUESTION_MAX || !worthKeeping(text)) return false
  return !(words.length <= 5 && COURTESY.test(normalize(text)))
}

/**
 * A question from someone outside the directory (by /hoidap, or a message left in the chat): routed
 * to their ward's unit, whose focal points are told, else to the Department.
 */
export async function askAsSubscriber(ctx: HandlerContext, text: string, receivedKey: 'ask.received' | 'subscribers.messageKept', known?: SubscriberTurn) {
  // The turn already taken (publicText's) keeps its privacy notice: a second take would lose it.
  const turn = known ?? (await asSubscriber(ctx))
  if ('refused' in turn) return turn.refused
  const { subscriber, notice } = turn
  const q = await askPublicQuestion(ctx.deps.db, { subscriber, channel: ctx.event.channel, text, now: ctx.now })
  if (!q) return { text: ctx.t('subscribers.noUnit') }
  await tellWardFocalPoints(ctx.deps.db, q, ctx.now)
  return withNotice({ text: ctx.t(receivedKey, { id: q.id }) }, notice)
}

export const publicFeature: Feature = {
  commands: [dangky, huydangky, xoa],
  flows: [wardFlow],
  choices: [pickWard, pressRating],
  text: [publicText],
}
