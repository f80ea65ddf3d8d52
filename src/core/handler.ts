import type { Locale, PersonRow, UnitRow, ChatLinkRow } from '#db/schema/index.js'
import type { AppDeps } from '../deps.js'
import type { Translate } from '../i18n.js'
import type { ChannelAdapter } from './channel.js'
import type { InboundEvent, OutboundMessage } from './events.js'

export interface LinkedPerson {
  person: PersonRow
  unit: UnitRow
  link: ChatLinkRow
}

export interface ConversationState {
  flow: string
  step: string | null
  data: Record<string, unknown>
}

/** What a handler gets: the event, who sent it, their language, and the chat's saved state. */
export interface HandlerContext {
  deps: AppDeps
  event: InboundEvent
  channel: ChannelAdapter
  /** The linked person, or null for a chat that has not redeemed an invite yet. */
  linked: LinkedPerson | null
  locale: Locale
  t: Translate
  now: Date
  conversation: ConversationState | null
  /** Hands the next free-text message in this chat to `flow` (saved in the database). */
  setConversation(state: ConversationState): Promise<void>
  clearConversation(): Promise<void>
  setLocale(locale: Locale): Promise<void>
}

export type Reply = OutboundMessage[] | OutboundMessage | void

export interface Command {
  /** Canonical names, without slash or diacritics: ['baocao', 'report']. */
  names: readonly string[]
  /** Only for linked people (others are asked for their invite code first). Default true. */
  requiresLink?: boolean
  /** Allowed in group chats. Default false. */
  inGroups?: boolean
  /**
   * Only with a slash (`/hoidap …`), never as a bare word: for commands whose words also start
   * ordinary sentences or quiz answers ("Hỏi đáp trực tuyến", "Hồi đáp…", "Ask my principal").
   */
  slashOnly?: boolean
  run(ctx: HandlerContext, args: string): Promise<Reply>
}

/** A multi-step conversation that owns free-text answers while the chat is in it. */
export interface Flow {
  name: string
  /**
   * The flow takes an image the person sends (`ctx.event.image`, its caption as the text, '' when
   * none). Default false: an image is answered "Loa reads text only" and the flow keeps waiting.
   */
  acceptsImages?: boolean
  onText(ctx: HandlerContext, text: string): Promise<Reply>
}

/** Buttons (and their typed equivalents) whose ids start with `prefix` + ':'. */
export interface ChoiceHandler {
  prefix: string
  requiresLink?: boolean
  run(ctx: HandlerContext, choiceId: string): Promise<Reply>
}

/** Free text outside any flow: tried in order, the first that answers wins (e.g. "đã đọc"). */
export interface TextHandler {
  name: string
  run(ctx: HandlerContext, text: string): Promise<Reply | null>
  /**
   * The handler reads an image's caption with its image (`ctx.event.image`): "tin sai: …" under a
   * screenshot. Default false: a captioned image never reaches it.
   */
  acceptsImages?: boolean
}

/** One feature's contribution to the bot; handlers/index.ts lists them. */
export interface Feature {
  commands?: readonly Command[]
  flows?: readonly Flow[]
  choices?: readonly ChoiceHandler[]
  text?: readonly TextHandler[]
}
