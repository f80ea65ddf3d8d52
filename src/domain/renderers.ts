import { REMINDER_SOURCE, reminderRenderer } from './reporting/reminders.js'
import { quizRenderer } from './quiz/render.js'
import { pollRenderer } from './polls/render.js'
import { POLL_SOURCE } from './polls/polls.js'
import { broadcastRenderer } from './broadcast/render.js'
import { RELAY_SOURCE, relayRenderer } from './broadcast/relay.js'
import { payloadRenderer, type Renderers } from '../delivery/dispatcher.js'
import { LINK_NOTICE_SOURCE, linkNoticeRenderer } from './directory/links.js'
import { SIGNIN_SOURCE, signinRenderer } from './console/signin-outbox.js'
/**
 * How each outbox `source` becomes a message at send time. Messages queued with a ready payload
 * (`source` without an entry here) are sent as they are.
 */
export const renderers: Renderers = {
  message: payloadRenderer,
  [REMINDER_SOURCE]: reminderRenderer,
  quiz: quizRenderer,
  [POLL_SOURCE]: pollRenderer,
  broadcast: broadcastRenderer,
  [RELAY_SOURCE]: relayRenderer,
  [LINK_NOTICE_SOURCE]: linkNoticeRenderer,
  [SIGNIN_SOURCE]: signinRenderer,
}
