import type { Locale } from '#db/schema/index.js'
import type { Db } from '#db/types.js'
import type { ChannelName, OutboundMessage } from './events.js'

/**
 * What the router hands the outbox: one reply to an update. The core does not write the outbox
 * itself (the delivery layer owns it, with one conflict rule for every writer); the app gives the
 * router its writer, `enqueueReply` of src/delivery/queue.ts.
 */
export interface NewReply {
  personId: number | null
  channel: ChannelName
  chatId: string
  locale: Locale
  payload: OutboundMessage
  /** `reply:<channel>:<update id>:<index>`: a reply is keyed by the update it answers. */
  dedupeKey: string
  /** Until when transient failures are retried. */
  expiresAt: Date
}

export type ReplyWriter = (db: Db, reply: NewReply, now: Date) => Promise<void>
