import type { ChannelName } from '../../core/events.js'
import { sha256Hex } from '../../crypto.js'
import { attemptWindow, ATTEMPT_WINDOW_MS, recordAttemptFailure } from '../attempts.js'
import { checkIn, type CheckInResult } from './sessions.js'

/**
 * Wrong check-in codes one chat may send within the hour. Codes are "NQ71-" and four digits, so
 * 10,000 values: five wrong ones an hour leave a guesser some 2,000 hours per chat for all of them,
 * while a person who mistypes a code read out in the hall has four more tries.
 */
export const MAX_CHAT_CHECKIN_FAILURES = 5

export type ChatCheckInResult = CheckInResult | { status: 'throttled'; retryAt: Date }

/**
 * `checkIn` with a code typed in chat, counting wrong codes per chat: past the limit nothing is
 * looked up (so nothing is revealed about any session) until the hour is over. A code of a session
 * that is not open yet or is closed is not a wrong code (people type it early or late).
 */
export async function checkInFromChat(
  db: Parameters<typeof checkIn>[0],
  input: { code: string; personId: number; channel: ChannelName; chatId: string; now: Date },
): Promise<ChatCheckInResult> {
  // The chat id is not kept: the key is its hash.
  const key = `checkin:${(await sha256Hex(`checkin:${input.channel}:${input.chatId}`)).slice(0, 32)}`
  const window = await attemptWindow(db, key, input.now)
  if (window && window.failures >= MAX_CHAT_CHECKIN_FAILURES) {
    return { status: 'throttled', retryAt: new Date(window.windowStart.getTime() + ATTEMPT_WINDOW_MS) }
  }
  const result = await checkIn(db, { code: input.code, personId: input.personId, channel: input.channel, now: input.now })
  if (result.status === 'unknown') await recordAttemptFailure(db, key, input.now)
  return result
}
