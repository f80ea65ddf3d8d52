import { z } from 'zod'

/**
 * The parts of a Telegram update Loa reads (https://core.telegram.org/bots/api#update), checked
 * before anything is read: an update with the right secret but a wrong shape (`chat: null`,
 * `my_chat_member` as a string, no `new_chat_member`) is ignored, never a 500 that Telegram would
 * redeliver for hours. Unknown fields pass through; fields Loa does not read are not checked, and
 * fields whose absence has a safe meaning (`is_bot`, `text`) may be missing.
 */
const int = z.number().int()
/** Unix seconds; bounded so that `new Date(date * 1000)` is a valid date. */
const unixSeconds = z.number().int().min(0).max(1e11)

const user = z.looseObject({
  id: int,
  is_bot: z.boolean().optional(),
  first_name: z.string().optional(),
  last_name: z.string().optional(),
  language_code: z.string().optional(),
})
const chat = z.looseObject({ id: int, type: z.string() })
/** https://core.telegram.org/bots/api#photosize and #document: what fetchImage needs. */
const fileSize = int.min(0).optional()
const photoSize = z.looseObject({ file_id: z.string().min(1).max(512), file_size: fileSize })
const document = z.looseObject({ file_id: z.string().min(1).max(512), file_size: fileSize, mime_type: z.string().optional() })

export const telegramUpdateSchema = z.looseObject({
  update_id: int.min(0),
  message: z
    .looseObject({
      from: user.optional(),
      chat,
      date: unixSeconds,
      text: z.string().optional(),
      // A photo comes in several sizes, smallest first; its text is the caption.
      // Read leniently: a photo or file Loa cannot read leaves the message itself as it was.
      photo: z.array(photoSize).max(20).optional().catch(undefined),
      document: document.optional().catch(undefined),
      caption: z.string().optional(),
    })
    .optional(),
  callback_query: z
    .looseObject({
      id: z.string(),
      from: user,
      // An inaccessible message (older than 48 h) still has its chat.
      message: z.looseObject({ chat }).optional(),
      data: z.string().optional(),
    })
    .optional(),
  my_chat_member: z
    .looseObject({
      chat,
      from: user,
      date: unixSeconds,
      new_chat_member: z.looseObject({ status: z.string() }),
    })
    .optional(),
})
export type TelegramUpdate = z.infer<typeof telegramUpdateSchema>
export type TelegramUser = z.infer<typeof user>
export type TelegramMessage = NonNullable<TelegramUpdate['message']>
