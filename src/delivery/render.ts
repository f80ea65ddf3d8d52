import type { DeliveryRow } from '#db/schema/index.js'
import type { OutboundMessage } from '../core/events.js'
import { splitText } from '../core/text.js'
import type { AppDeps } from '../deps.js'

/**
 * Builds the message for one delivery at send time, in the recipient's language. Returning null
 * drops the delivery (its source was cancelled). Features register one per `source`. A renderer
 * may carry `settle`, called with the source ids whose deliveries reached a final state, so the
 * feature can close its own records (a broadcast becomes 'sent').
 */
export type Renderer = ((deps: AppDeps, delivery: DeliveryRow) => Promise<OutboundMessage | null>) & {
  settle?: (deps: AppDeps, sourceIds: readonly number[]) => Promise<void>
}
export type Renderers = Record<string, Renderer>

/** Ready-made messages (replies, notices) carry their text in `payload`. */
export const payloadRenderer: Renderer = async (_deps, d) => (d.payload as OutboundMessage | null) ?? null

/** The platform messages one part takes (the rate gate's cost). */
export function messagesIn(message: OutboundMessage, max: number): number {
  return Math.max(1, splitText(message.text, max).length) + (message.imageUrl ? 1 : 0)
}

/**
 * A text longer than one platform message, as the single sends it takes (image first, buttons on
 * the last part), so that a part refused midway is retried alone. A text that fits is one part,
 * left whole for the adapter (a photo with its caption, for instance).
 */
export function partsOf(message: OutboundMessage, max: number): OutboundMessage[] {
  const texts = splitText(message.text, max)
  if (texts.length <= 1) return [message]
  const parts: OutboundMessage[] = texts.map((text) => ({ text }))
  if (message.choices?.length) {
    parts[parts.length - 1] = { text: texts.at(-1)!, choices: message.choices, ...(message.choicesInText ? { choicesInText: true } : {}) }
  }
  if (message.imageUrl) parts.unshift({ text: '', imageUrl: message.imageUrl })
  return parts
}
