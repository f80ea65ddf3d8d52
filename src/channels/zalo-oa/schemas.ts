import { z } from 'zod'

/**
 * Zalo OA API v3 payloads (developers.zalo.me, Official Account API v3), read leniently: ids stay strings
 * (they pass 2^53), `timestamp` is milliseconds as a string, event names stay open, unknown
 * fields pass through.
 */
const idSchema = z.union([z.string(), z.number().transform(String)])
export const oaEventSchema = z.looseObject({
  app_id: idSchema.optional(),
  event_name: z.string(),
  timestamp: idSchema.optional(),
  sender: z.looseObject({ id: idSchema }).optional(),
  recipient: z.looseObject({ id: idSchema }).optional(),
  follower: z.looseObject({ id: idSchema }).optional(),
  message: z
    .looseObject({
      msg_id: z.string().min(1).max(128),
      text: z.string().optional(),
      // user_send_image: [{ type: 'image', payload: { url, thumbnail? } }]; other kinds are not read.
      attachments: z
        .array(z.looseObject({ type: z.string().optional(), payload: z.looseObject({ url: z.string().max(4096).optional() }).nullish() }))
        .max(50)
        .optional()
        // A list Loa cannot read never costs the message itself.
        .catch(undefined),
    })
    .optional(),
})
export type OaEvent = z.infer<typeof oaEventSchema>

/** Every OA API answer: `error` 0 on success, a negative code on failure. */
export const oaEnvelopeSchema = z.looseObject({
  error: z.coerce.number().optional(),
  message: z.string().optional(),
  data: z.unknown().optional(),
})

/** GET /v2.0/oa/getoa: the OA's own profile (its name is printed on invite cards). */
export const oaInfoSchema = z.looseObject({ oa_id: z.coerce.string().optional(), name: z.string().optional() })
export const oaSendResultSchema = z.looseObject({ message_id: z.string(), user_id: z.string().optional() })

/** OAuth v4 token answer; `expires_in` is a string of seconds. Errors carry `error` (negative) instead. */
export const oaTokenSchema = z.object({
  access_token: z.string().min(1),
  refresh_token: z.string().min(1),
  expires_in: z.coerce.number().positive(),
})
export const oaTokenErrorSchema = z.looseObject({
  error: z.coerce.number().optional(),
  error_name: z.string().optional(),
  error_reason: z.string().optional(),
  error_description: z.string().optional(),
})
export type OaTokens = z.infer<typeof oaTokenSchema>
