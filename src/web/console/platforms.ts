import { channelNames, type MessengerName } from '../../core/events.js'
import type { AppDeps } from '../../deps.js'

/**
 * The platforms an audience picker offers: every messenger, but Zalo OA only while the OA is on
 * (walk O11: ticking it while off counted 0 recipients, silently). One already chosen stays
 * offered, so a form shown again never drops a value without saying so.
 */
export function offeredPlatforms(deps: Pick<AppDeps, 'channels'>, chosen: readonly string[] = []): MessengerName[] {
  return channelNames.filter((p) => p !== 'zalo_oa' || !!deps.channels.zalo_oa || chosen.includes(p))
}
