import type { Feature, TextHandler } from '#src/core/handler.js'
import { keepMessage, worthKeeping } from '#src/domain/inbox.js'

/**
 * The last free-text handler: a linked person's private message that nothing else took is kept in
 * the inbox for staff (/admin/inbox) and the sender is told it was passed on. Group chats never
 * reach free-text handlers; unlinked chats and noise ("ok", one emoji) fall through to the hint.
 */
const keep: TextHandler = {
  name: 'inbox',
  async run(ctx, text) {
    if (!ctx.linked || !ctx.event.isPrivate || !worthKeeping(text)) return null
    await keepMessage(ctx.deps.db, { personId: ctx.linked.person.id, channel: ctx.event.channel, chatId: ctx.event.chatId, text, now: ctx.now })
    return { text: ctx.t('inbox.passedOn') }
  },
}

export const inboxFeature: Feature = { text: [keep] }
