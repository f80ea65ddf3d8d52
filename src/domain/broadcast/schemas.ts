import { z } from 'zod'
import { broadcastKinds } from '../../../db/schema/index.js'

export { broadcastKinds }
import { audienceSchema } from '../audience.js'

/**
 * Longest body accepted. Longer than one message on either platform (Telegram 4096, Zalo 2000):
 * the adapters split it at paragraph or line boundaries into several messages, and the "Đã đọc"
 * button rides on the last one. Past this size a brief belongs on a web page behind `link`.
 */
export const MAX_BODY_LENGTH = 12_000
export const MAX_TITLE_LENGTH = 200
/** A scheduledAt this far in the past is taken as "now" (clock skew, a slow form); older is refused. */
export const PAST_TOLERANCE_MS = 5 * 60_000

const httpUrl = z
  .string()
  .trim()
  .url()
  .max(2000)
  .refine((u) => /^https?:\/\//i.test(u), 'api.checks.httpUrl')

export const broadcastInputSchema = z.object({
  kind: z.enum(broadcastKinds).default('announcement'),
  title: z.string().trim().min(1, 'api.checks.titleEmpty').max(MAX_TITLE_LENGTH),
  body: z.string().trim().min(1, 'api.checks.bodyEmpty').max(MAX_BODY_LENGTH),
  imageUrl: httpUrl.optional(),
  link: httpUrl.optional(),
  audience: audienceSchema,
  scheduledAt: z.string().datetime({ offset: true, message: 'api.checks.isoDateTime' }).optional(),
  requireAck: z.boolean().default(true),
})
export type BroadcastInput = z.infer<typeof broadcastInputSchema>
