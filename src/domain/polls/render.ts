import { offerChoices } from '../../core/offers.js'
import { personalUrl, subscriberUrl } from '../web/personal.js'
import { subscriberOf } from '../subscribers.js'
import { choiceIds } from '../../core/choice-ids.js'
import type { Renderer } from '../../delivery/dispatcher.js'
import { translator } from '../../i18n.js'
import { pollMessage } from './messages.js'
import { findPoll, isClosed } from './polls.js'

/**
 * A poll, rendered at send time in the recipient's language; not sent once it closed. Its options
 * are remembered for the chat (unless a conversation or a quiz question waits there), so a typed
 * "2" on Zalo answers it.
 */
export const pollRenderer: Renderer = async (deps, d) => {
  const poll = await findPoll(deps.db, d.sourceId)
  if (!poll || isClosed(poll, deps.clock())) return null
  const t = translator(d.locale)
  const message = pollMessage(t, poll, d.channel, deps.config.timezone)
  // Staff and subscribers also get their personal link to the poll's phone page (/t/<slug>) when PUBLIC_URL is set.
  const subscriber = d.personId == null ? await subscriberOf(deps.db, d.channel, d.chatId) : null
  const url = subscriber ? await subscriberUrl(deps, 'poll', poll.id, subscriber.id, d.channel) : await personalUrl(deps, 'poll', poll.id, d.personId, d.channel)
  if (url) message.text += `\n${t('poll.page.link', { url })}`
  await offerChoices(deps.db, d, message.choices ?? [], deps.clock(), `${choiceIds.quiz.prefix}:`)
  return message
}
