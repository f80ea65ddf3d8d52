import { z } from 'zod'
import { broadcastKinds } from '#db/schema/index.js'

export { broadcastKinds }
import { broadcastAudienceSchema } from './subscribers.js'

/**
 * Longest body accepted. Longer than one message on either platform (Telegram 4096, Zalo 2000):
 * the adapters split it at paragraph or line boundaries into several messages, and the "Đã đọc"
 * button rides on the last one. Past this size a brief belongs on a web page behind `link`.
 */
export const MAX_BODY_LENGTH = 12_000
export const MAX_TITLE_LENGTH = 200
/** A scheduledAt this far in the past is taken as "now" (clock skew, a slow form); older is refused. */
export const PAST_TOLERANCE_MS = 5 * 60_000

/** A full web address with one of `schemes` and a host; one error in plain words when it is not. */
const webAddress = (schemes: readonly string[], message: string) =>
  z
    .string()
    .trim()
    .max(2000)
    .refine((u) => {
      try {
        const url = new URL(u)
        return schemes.includes(url.protocol) && url.hostname.length > 0
      } catch {
        return false
      }
    }, message)

/** A read-more link: https, or http for an old site (it opens in the reader's browser). */
const httpUrl = webAddress(['https:', 'http:'], 'api.checks.httpUrl')
/** An image is shown on the brief's page, whose CSP allows https images only: http would arrive broken. */
const httpsUrl = webAddress(['https:'], 'api.checks.httpsUrl')

/** "N days before a commemoration": its day (MM-DD, or yyyy-mm-dd of which the month and day count), N (0..60, checked with the calendar: 422), yearly. */
export const observanceInputSchema = z.object({
  date: z.string().trim().regex(/^(\d{4}-)?\d{2}-\d{2}$/, 'api.checks.observanceDate'),
  daysBefore: z.number({ message: 'api.checks.daysBefore' }).int('api.checks.daysBefore'),
  yearly: z.boolean().default(true),
})

export const broadcastInputSchema = z.object({
  kind: z.enum(broadcastKinds).default('announcement'),
  title: z.string().trim().min(1, 'api.checks.titleEmpty').max(MAX_TITLE_LENGTH),
  body: z.string().trim().min(1, 'api.checks.bodyEmpty').max(MAX_BODY_LENGTH),
  imageUrl: httpsUrl.optional(),
  link: httpUrl.optional(),
  /** Staff by unit, kind, role and platform, and/or subscribers by ward (subscribers.ts). */
  audience: broadcastAudienceSchema,
  scheduledAt: z.string().datetime({ offset: true, message: 'api.checks.isoDateTime' }).optional(),
  requireAck: z.boolean().default(true),
  observance: observanceInputSchema.optional(),
  /** The library entry this broadcast carries (src/domain/library/): 422 when there is none. */
  productId: z.number().int().positive().optional(),
})
export type BroadcastInput = z.infer<typeof broadcastInputSchema>
