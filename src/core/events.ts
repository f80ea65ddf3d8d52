/** The neutral language between channels and handlers: nothing past `src/channels/` sees a platform update. */
export type ChannelName = 'telegram' | 'zalo'
export const channelNames: readonly ChannelName[] = ['telegram', 'zalo']

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
  receivedAt: Date
}
