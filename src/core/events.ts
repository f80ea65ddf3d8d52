/** The neutral language between channels and handlers: nothing past `src/channels/` sees a platform update. */
/**
 * Where an action (an acknowledgement, a check-in, a quiz answer) came from. 'web' is the phone page
 * on PUBLIC_URL: it produces the same actions as the chats but has no adapter and never sends.
 */
export type ChannelName = 'telegram' | 'zalo' | 'zalo_oa' | 'web'
/** The messengers: channels with an adapter, chats and an outbox lane. */
export type MessengerName = Exclude<ChannelName, 'web'>
export const channelNames: readonly MessengerName[] = ['telegram', 'zalo', 'zalo_oa']
/** Every channel an action can be recorded under, in the order counts are shown. */
export const actionChannels: readonly ChannelName[] = ['telegram', 'zalo', 'zalo_oa', 'web']

/**
 * Whether a channel shows choices as buttons (Telegram's inline keyboard, the Zalo OA's
 * `oa.query.*` buttons) or as numbered lines to type back (the Zalo Bot Platform has no buttons).
 * Handlers word their instructions by this, never by the channel's name.
 */
export function hasButtons(channel: ChannelName): boolean {
  return channel !== 'zalo'
}

/** A button. `id` rides in Telegram callback_data, so it must stay within 64 bytes. */
export interface Choice {
  id: string
  label: string
}

export interface OutboundMessage {
  text: string
  choices?: readonly Choice[]
  /** Public http(s) image shown above the text where the channel can. */
  imageUrl?: string
  /**
   * The text already says how to answer ("trả lời 1 hoặc gõ đã đọc"): a channel without buttons
   * lists no numbered choices under it, so the instruction is not given twice. The choices are
   * still offered (a typed "1" matches).
   */
  choicesInText?: boolean
}

export type InboundKind = 'message' | 'blocked' | 'unblocked'

export interface InboundEvent {
  kind: InboundKind
  channel: ChannelName
  /** Platform id of this delivery, used to process each update once. */
  updateId: string
  chatId: string
  /** True for a one-to-one chat with the bot; group messages are answered but never linked. */
  isPrivate: boolean
  sender: { id: string; name?: string; languageHint?: string }
  /** What the person typed; '' for a button press. */
  text: string
  /** Set when a button was pressed (Telegram callback_data). */
  choiceId?: string
  /** Platform handle of a button press that must be acknowledged (Telegram callback_query.id). */
  callbackId?: string
  /**
   * An image the person sent with this message (a Telegram photo, the Zalo bot's photo_url, the OA's
   * user_send_image); its caption, if any, is `text`. Fetch it with the adapter's `fetchImage`.
   */
  image?: InboundImage
  /**
   * An 'unblocked' event that is a follow (the OA's `follow`): a chat not linked to the directory
   * becomes a subscriber on it alone, before it writes anything.
   */
  follow?: boolean
  receivedAt: Date
}

/** A platform's reference to an image a person sent: never the bytes, which are fetched on demand. */
export interface InboundImage {
  /** What the adapter's `fetchImage` understands: a Telegram file_id, an https URL on Zalo. */
  ref: string
  /** Size in bytes the platform announced, when it did. */
  size?: number
}

/** An image downloaded from a platform, its type sniffed from the bytes (never from a header). */
export interface FetchedImage {
  bytes: Uint8Array
  mime: 'image/jpeg' | 'image/png' | 'image/webp' | 'image/gif'
}
