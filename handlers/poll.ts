import type { ChoiceHandler, Command, Feature, HandlerContext, Reply } from '#src/core/handler.js'
import { choiceIds } from '#src/core/choice-ids.js'
import { hasButtons } from '#src/core/events.js'
import { formatDateTime } from '#src/i18n.js'
import { resultsText } from '#src/domain/polls/messages.js'
import {
  commentOnAnswer,
  findPoll,
  isAsked,
  isClosed,
  latestCommentablePoll,
  optionCount,
  recordPollAnswer,
  type Respondent,
} from '#src/domain/polls/polls.js'
import { optionLabels, pollResults } from '#src/domain/polls/results.js'
import { subscriberOf } from '#src/domain/subscribers.js'
import type { PollRow } from '#db/schema/index.js'

/**
 * Polls in chat: an answer by button (Telegram) or typed number (Zalo), from staff or from a
 * subscriber; answering again before the close changes it; after the close it is refused.
 * `/ketqua <số>` shows the results once the poll closed (or at once when they are not hidden);
 * `/gopy <ý kiến>` adds a comment to the latest answer, when the poll takes comments.
 */

/** Who is writing: the linked person, else the chat's subscriber; null for a chat that is neither. */
async function respondentOf(ctx: HandlerContext): Promise<Respondent | null> {
  if (ctx.linked) return { kind: 'person', personId: ctx.linked.person.id, unitId: ctx.linked.person.unitId }
  const s = await subscriberOf(ctx.deps.db, ctx.event.channel, ctx.event.chatId)
  return s ? { kind: 'subscriber', subscriberId: s.id, wardUnitId: s.wardUnitId, optedIn: s.optedInAt !== null } : null
}

function windowRefusal(ctx: HandlerContext, poll: PollRow): Reply | null {
  const tz = ctx.deps.config.timezone
  if (isClosed(poll, ctx.now)) return { text: ctx.t('poll.closed', { title: poll.title, at: formatDateTime(poll.closesAt, tz), id: poll.id }) }
  if (ctx.now.getTime() < poll.opensAt.getTime()) return { text: ctx.t('poll.notOpen', { title: poll.title, at: formatDateTime(poll.opensAt, tz) }) }
  return null
}

const answer: ChoiceHandler = {
  prefix: choiceIds.poll.prefix,
  requiresLink: false,
  async run(ctx, choiceId) {
    const choice = choiceIds.poll.parse(choiceId)
    const poll = choice && (await findPoll(ctx.deps.db, choice.pollId))
    if (!choice || !poll || choice.option >= optionCount(poll)) return { text: ctx.t('poll.notFound') }
    const refusal = windowRefusal(ctx, poll)
    if (refusal) return refusal
    const who = await respondentOf(ctx)
    if (!who || !(await isAsked(ctx.deps.db, poll, who))) return { text: ctx.t('poll.notForYou') }
    const status = await recordPollAnswer(ctx.deps.db, poll, who, choice.option, ctx.event.channel, ctx.now)
    const label = `${choice.option + 1}. ${optionLabels(poll, ctx.t)[choice.option]!}`
    const lines = [ctx.t(status === 'changed' ? 'poll.changed' : 'poll.recorded', { choice: label })]
    if (poll.allowComment) lines.push(ctx.t('poll.commentHint'))
    if (hasButtons(ctx.event.channel)) return { text: lines.join('\n') }
    // Zalo: the options stay offered (unlisted), so another number typed before the close changes the answer.
    lines.push(ctx.t('poll.changeZalo', { max: optionCount(poll) }))
    const choices = optionLabels(poll, ctx.t).map((l, i) => ({ id: choiceIds.poll.answer(poll.id, i), label: l }))
    return { text: lines.join('\n'), choices, choicesInText: true }
  },
}

const ketqua: Command = {
  names: ['ketqua', 'results'],
  requiresLink: false,
  async run(ctx, args) {
    const id = Number(args.trim().replace(/^#/, ''))
    if (!args.trim() || !Number.isSafeInteger(id) || id <= 0) return { text: ctx.t('poll.resultsUsage') }
    const poll = await findPoll(ctx.deps.db, id)
    const who = poll ? await respondentOf(ctx) : null
    if (!poll || !who || !(await isAsked(ctx.deps.db, poll, who))) return { text: ctx.t('poll.notFound') }
    if (poll.resultsHidden && !isClosed(poll, ctx.now)) {
      return { text: ctx.t('poll.resultsHidden', { title: poll.title, at: formatDateTime(poll.closesAt, ctx.deps.config.timezone) }) }
    }
    return { text: resultsText(ctx.t, await pollResults(ctx.deps.db, poll, ctx.t)) }
  },
}

const gopy: Command = {
  names: ['gopy', 'comment'],
  requiresLink: false,
  slashOnly: true,
  async run(ctx, args) {
    const text = args.trim().slice(0, 1000)
    if (!text) return { text: ctx.t('poll.commentUsage') }
    const who = await respondentOf(ctx)
    const poll = who && (await latestCommentablePoll(ctx.deps.db, who, ctx.now))
    if (!who || !poll || !(await commentOnAnswer(ctx.deps.db, poll, who, text))) return { text: ctx.t('poll.noCommentable') }
    return { text: ctx.t('poll.commented', { title: poll.title }) }
  },
}

export const pollFeature: Feature = { commands: [ketqua, gopy], choices: [answer] }
