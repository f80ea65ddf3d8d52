import { sha256Hex } from '../../crypto.js'
import type { BroadcastAudience } from './subscribers.js'
import type { BroadcastInput } from './schemas.js'

/** A stable text of an audience, to tell whether the one sent is the one previewed. */
function audienceKey(a: BroadcastAudience): string {
  return JSON.stringify([
    [...a.unitCodes].sort(),
    a.includeSubunits,
    [...(a.unitKinds ?? [])].sort(),
    [...a.roles].sort(),
    [...a.platforms].sort(),
    a.staff ?? null,
    a.subscribers ? [...a.subscribers.wardCodes].sort() : null,
  ])
}

/**
 * What a compose preview commits the send button to: the audience, the time (or "now") and the
 * text. The console's form carries it back, and a send whose fingerprint differs is previewed again.
 */
export function previewFingerprint(input: BroadcastInput, scheduledAt: Date | null): Promise<string> {
  return sha256Hex(JSON.stringify([audienceKey(input.audience), scheduledAt?.toISOString() ?? 'now', input.kind, input.title, input.body, input.link ?? '', input.imageUrl ?? '', input.requireAck]))
}
