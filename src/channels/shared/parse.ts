import type { z } from 'zod'
import { malformedUpdate } from '../../core/channel.js'
import type { ChannelName } from '../../core/events.js'
import type { Logger } from '../../deps.js'

interface ParseOptions {
  channel: ChannelName
  logger?: Logger
  /** Log only bodies that are objects (the OA: a null or a string is not worth a line). */
  onlyObjects?: boolean
}

/**
 * An authenticated webhook body read against the channel's schema: the update, or null (ignored,
 * answered 200) when it does not fit; the misfit is logged by where it was wrong, never its text.
 */
export function parseWebhookBody<S extends z.ZodType>(schema: S, body: unknown, options: ParseOptions): z.infer<S> | null {
  const parsed = schema.safeParse(body)
  if (parsed.success) return parsed.data
  if (!options.onlyObjects || (body && typeof body === 'object')) {
    options.logger?.warn(malformedUpdate(options.channel, body, parsed.error), 'webhook update ignored: malformed')
  }
  return null
}
