import { personalUrl } from '../web/personal.js'
import { offerChoices } from '../../core/offers.js'
import { translator } from '../../i18n.js'
import { invitationMessage } from './messages.js'
import { findQuizForChat, quizWindow } from './quizzes.js'
import type { Renderer } from '../../delivery/dispatcher.js'
import { choiceIds } from '../../core/choice-ids.js'

/**
 * A quiz invitation, rendered at send time in the recipient's language. A quiz that closed while
 * the invitation waited is not sent. The start choice is remembered for the chat (unless it is in
 * the middle of a conversation or a quiz), so replying "1" starts the quiz as the message says.
 */
export const quizRenderer: Renderer = async (deps, d) => {
  const quiz = await findQuizForChat(deps.db, d.sourceId)
  if (!quiz || quizWindow(quiz, deps.clock()) === 'closed') return null
  const t = translator(d.locale)
  const message = invitationMessage(t, quiz, d.channel, deps.config.timezone)
  const url = await personalUrl(deps, 'quiz', quiz.id, d.personId, d.channel)
  if (url) message.text += `\n${t('quiz.pageLink', { url })}`
  await offerChoices(deps.db, d, message.choices ?? [], deps.clock(), `${choiceIds.quiz.prefix}:`)
  return message
}

