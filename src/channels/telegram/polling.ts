import { Bot } from 'grammy'
import type { ChannelAdapter } from '../../core/channel.js'
import type { InboundEvent } from '../../core/events.js'
import type { Logger } from '../../deps.js'

/** Receives Telegram updates by long polling through grammY (which removes any webhook first). */
export function pollTelegram(
  options: { token: string; apiRoot: string },
  adapter: ChannelAdapter,
  receive: (event: InboundEvent) => Promise<void>,
  logger: Logger,
): () => Promise<void> {
  const bot = new Bot(options.token, { client: { apiRoot: options.apiRoot } })
  bot.use(async (ctx) => {
    const event = adapter.parse(ctx.update)
    if (event) await receive(event)
  })
  bot.catch((err) => logger.error({ err: err.message }, 'telegram polling error'))
  void bot.start({ allowed_updates: ['message', 'callback_query', 'my_chat_member'], timeout: 30 })
  return () => bot.stop()
}
