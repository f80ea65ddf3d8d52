import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { InboundEvent } from '#src/core/events.js'
import { createRouter } from '#src/core/router.js'
import { enqueueReply } from '#src/delivery/queue.js'
import { startHarness, type Harness } from '../helpers/harness.js'

let h: Harness
beforeEach(async () => {
  h = await startHarness()
})
afterEach(() => h.close())

const message = (text: string, updateId: string): InboundEvent => ({
  kind: 'message',
  channel: 'telegram',
  updateId,
  chatId: '601',
  isPrivate: true,
  sender: { id: '601' },
  text,
  receivedAt: h.now(),
})

describe('the router', () => {
  it("apologises for a handler's bug, and a redelivery of that update does not run it again", async () => {
    let runs = 0
    const broken = async () => {
      runs++
      throw new Error('bug')
    }
    const router = createRouter(h.deps, [{ commands: [{ names: ['hong'], requiresLink: false, run: broken }] }], enqueueReply)
    expect(await router.receive(message('/hong', 'u1'))).toMatchObject({ status: 'accepted', queued: 1 })
    expect(await router.receive(message('/hong', 'u1'))).toMatchObject({ status: 'duplicate' })
    await h.flush()
    expect(h.texts(h.telegram, 601)).toEqual(['Xin lỗi, hệ thống đang gặp sự cố. Vui lòng thử lại sau ít phút.'])
    expect(runs).toBe(1)
  })
})
