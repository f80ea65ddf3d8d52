import type { Feature } from '#src/core/handler.js'
import { checkinFeature } from './checkin.js'
import { ackFeature } from './ack.js'
import { askFeature } from './ask.js'
import { announceFeature } from './announce.js'
import { helpFeature } from './help.js'
import { inboxFeature } from './inbox.js'
import { languageFeature } from './language.js'
import { linkFeature } from './link.js'
import { lookupFeature } from './lookup.js'
import { quizFeature } from './quiz.js'
import { pollFeature } from './poll.js'
import { relayFeature } from './relay.js'
import { reportFeature } from './report.js'
import { selfAssessFeature } from './selfassess.js'
import { startFeature } from './start.js'
import { publicFeature } from './public.js'
import { wardAnswerFeature } from './ward-answer.js'
import { misinfoFeature } from './misinfo.js'

/** Every chat feature, in the order their free-text handlers are tried. */
// The ack reader ("đã đọc", "ok") must come before the quiz's re-ask of an open question.
// The relay reader comes first: a linked focal point's "da chuyen" has the shape of an invite code
// (DACHUYEN), which the start handler would otherwise try, and count as a wrong try.
export const features: readonly Feature[] = [
  relayFeature,
  startFeature,
  helpFeature,
  languageFeature,
  linkFeature,
  // "trả lời 12: …" before any reader of free text (a quiz's open question would take it as an answer).
  wardAnswerFeature,
  // "tin sai: …" and a liaison's "đã nhận" before the readers of free text (the inbox would keep them).
  misinfoFeature,
  announceFeature,
  ackFeature,
  reportFeature,
  selfAssessFeature,
  checkinFeature,
  quizFeature,
  pollFeature,
  lookupFeature,
  askFeature,
  // Last: whatever a linked person writes that nothing above took is kept for staff.
  inboxFeature,
  // A chat not linked to the directory: a typed rating, else the public welcome (it becomes a subscriber).
  publicFeature,
]
