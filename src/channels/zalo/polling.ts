import type { InboundEvent } from '../../core/events.js'
import type { Logger } from '../../deps.js'
import type { createZaloAdapter } from './adapter.js'

/**
 * Long-polls the Zalo Bot Platform (development without a public URL). Zalo has no offset and
 * forgets an update once handed out, so `receive` must store it (claim) before handling it.
 */
export function pollZalo(
  adapter: ReturnType<typeof createZaloAdapter>,
  receive: (event: InboundEvent) => Promise<void>,
  logger: Logger,
  options: { timeoutSeconds?: number; retryMs?: number } = {},
): () => Promise<void> {
  let running = true
  const loop = (async () => {
    await adapter.client.deleteWebhook().catch(() => undefined)
    while (running) {
      try {
        const update = await adapter.client.getUpdate(options.timeoutSeconds ?? 30)
        const event = update ? adapter.parse(update) : null
        if (event) await receive(event)
      } catch (err) {
        logger.warn({ err: (err as Error).message }, 'zalo polling failed; retrying')
        await new Promise((r) => setTimeout(r, options.retryMs ?? 5000))
      }
    }
  })()
  return async () => {
    running = false
    await loop
  }
}
