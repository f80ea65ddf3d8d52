import { offerChoices } from '../../core/offers.js'
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
  const message = pollMessage(translator(d.locale), poll, d.channel, deps.config.timezone)
  await offerChoices(deps.db, d, message.choices ?? [], deps.clock(), `${choiceIds.quiz.prefix}:`)
  return message
}
