import { describe, expect, it } from 'vitest'
import { createTelegramAdapter } from '#src/channels/telegram/adapter.js'
import { createZaloClient } from '#src/channels/zalo/client.js'
import { ChannelError } from '#src/core/channel.js'
import { createHttpFetch } from '#src/node/http-fetch.js'
import { freePort } from '../helpers/net.js'

const TOKEN = '987654:SECRET-token-never-in-logs'

/** Calls `send` against a port nobody listens on and returns the error it throws. */
async function refused(send: () => Promise<unknown>): Promise<ChannelError> {
  const err = await send().then(
    () => null,
    (e: unknown) => e,
  )
  expect(err).toBeInstanceOf(ChannelError)
  return err as ChannelError
}

describe('a platform that cannot be reached', () => {
  it('is recorded with the system error (ECONNREFUSED) and never with the URL or its token', async () => {
    const root = `http://127.0.0.1:${await freePort()}`
    const telegram = createTelegramAdapter({ token: TOKEN, apiRoot: root, webhookSecret: undefined, fetch: createHttpFetch() })
    const t = await refused(() => telegram.send('42', { text: 'Xin chào' }))
    expect(t.message).toMatch(/^telegram\.sendMessage failed \(network\): network: \w+ ECONNREFUSED$/)
    expect(t.kind).toBe('transient')

    const zalo = createZaloClient({ token: TOKEN, apiRoot: root, fetch })
    const z = await refused(() => zalo.sendMessage('z1', 'Xin chào'))
    expect(z.message).toMatch(/network: \w+ ECONNREFUSED$/)
    for (const e of [t, z]) expect(e.message).not.toContain('SECRET')
  })
})
