import { z } from 'zod'

/**
 * Zalo Bot Platform payloads, read leniently: ids are strings, `date` is in milliseconds,
 * event names stay open. See the Zalo Bot Platform documentation (bot.zapps.me/docs) and test/fixtures/zalo-*.json. Webhook bodies are checked here
 * before anything is read: a wrong shape is ignored (200), never a 500. Unknown fields pass through.
 */
export const zaloMessageSchema = z.looseObject({
  message_id: z.string(),
  // Bounded so that `new Date(date)` is a valid date.
  date: z.number().min(0).max(1e14).optional(),
  from: z.looseObject({
    id: z.string(),
    display_name: z.string().optional(),
    name: z.string().optional(),
    is_bot: z.boolean().optional(),
  }),
  chat: z.looseObject({ id: z.string(), chat_type: z.string().optional() }),
  text: z.string().optional(),
  // An image (message.image.received): its URL is `photo_url` in the SDKs, `photo` in the docs.
  photo_url: z.string().max(4096).optional().catch(undefined),
  photo: z.string().max(4096).optional().catch(undefined),
  caption: z.string().optional(),
  // sticker and voice_url are not read (Loa answers that it reads text only).
})

export const zaloUpdateSchema = z.looseObject({
  event_name: z.string(),
  message: zaloMessageSchema.optional(),
})
export type ZaloUpdate = z.infer<typeof zaloUpdateSchema>

/** Every answer comes in this envelope; HTTP 200 can still carry `ok: false`. */
export const zaloEnvelopeSchema = z.object({
  ok: z.boolean(),
  result: z.unknown().optional(),
  error_code: z.union([z.number(), z.string()]).optional(),
  description: z.string().optional(),
  parameters: z.object({ retry_after: z.number().optional() }).partial().optional(),
})

export const zaloSendResultSchema = z.object({ message_id: z.string(), date: z.number().optional() })
export const zaloMeSchema = z.object({ id: z.string(), account_name: z.string().optional() })

/**
 * Webhook bodies arrive both bare `{event_name, message}` (seen in production) and wrapped
 * `{ok, result}` (as documented); accept both.
 */
export function unwrapUpdate(body: unknown): unknown {
  if (body && typeof body === 'object' && !('event_name' in body) && 'result' in body) {
    return (body as { result: unknown }).result
  }
  return body
}
