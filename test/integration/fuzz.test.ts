import fc from 'fast-check'
import { describe, it } from 'vitest'
import { bodies, clip, expectNo5xx, fuzzGet, fuzzPost, gets, jsonHeaders, posts, QUERY_RUNS, RUNS, TIMEOUT_MS, useFuzzServer } from '../helpers/fuzz.js'
import { tgCallback, tgMessage, TG_SECRET, zaloMessage, ZALO_SECRET } from '../helpers/harness.js'

/**
 * Generated requests, with the right secret or token, at each webhook and each admin route:
 * malformed JSON, wrong types, nulls, arrays where objects belong, deep nesting, huge strings and
 * odd unicode. None may get a 5xx, and the server must be healthy afterwards. fast-check shrinks a
 * failure to a small request and prints its seed, so a failure can be replayed. The other admin
 * routes that take a body are in fuzz-admin.test.ts, so that vitest runs both files side by side.
 */
const h = useFuzzServer()

describe('fuzzing the webhooks with the right secret', () => {
  let seq = 5_000_000
  const templates: Record<'telegram' | 'zalo', unknown[]> = {
    telegram: [
      tgMessage(4001, 'đã đọc', 1),
      tgMessage(4003, '/thongbao', 1),
      tgMessage(4001, '/baocao hd 5, sp 3, pb 95%, kk không', 1),
      tgCallback(4001, 'qz:1:0:1', 1),
      { update_id: 1, message: { message_id: 7, from: { id: 4001, is_bot: false, first_name: 'Lan' }, chat: { id: 4001, type: 'private' }, date: 1773623730, photo: [{ file_id: 'p1', file_size: 900 }], caption: '/baocao hd 5' } },
      { update_id: 1, my_chat_member: { chat: { id: 4001, type: 'private' }, from: { id: 4001, is_bot: false, first_name: 'Lan' }, date: 1773623730, new_chat_member: { status: 'kicked' } } },
    ],
    zalo: [
      zaloMessage('z-4002', 'đã đọc', { messageId: 'm1' }),
      zaloMessage('z-4002', '1', { messageId: 'm1', wrapped: false }),
      { event_name: 'message.image.received', message: { from: { id: 'z-4002' }, chat: { id: 'z-4002', chat_type: 'PRIVATE' }, message_id: 'm1', photo_url: 'x' } },
    ],
  }

  it.each(['telegram', 'zalo'] as const)(`%s: ${RUNS} generated bodies, never a 5xx`, async (channel) => {
    const header = channel === 'telegram' ? 'x-telegram-bot-api-secret-token' : 'x-bot-api-secret-token'
    const secret = channel === 'telegram' ? TG_SECRET : ZALO_SECRET
    const arb = fc.oneof(...templates[channel].map((t) => bodies(t)))
    await fc.assert(
      fc.asyncProperty(arb, async (raw) => {
        // Fresh ids, so generated updates are handled rather than dropped as redeliveries.
        const body = raw.replace(/"update_id":1([,}])/, () => `"update_id":${seq++}$1`).replace(/"message_id":"m1"/, () => `"message_id":"m${seq++}"`)
        const res = await h().app.request(`/webhook/${channel}`, { method: 'POST', headers: { ...jsonHeaders(body), [header]: secret }, body })
        await expectNo5xx(res, () => clip(body))
      }),
      { numRuns: RUNS },
    )
  }, TIMEOUT_MS)
})

describe('fuzzing the admin API with the admin token', () => {
  it.each(posts.slice(0, 3))(`POST %s: ${RUNS} generated bodies, never a 5xx`, (route, names, template) => fuzzPost(h(), route, names, template), TIMEOUT_MS)
  it.each(gets)(`GET %s: ${QUERY_RUNS} generated queries and ids, never a 5xx`, (route, names, template) => fuzzGet(h(), route, names, template), TIMEOUT_MS)
})
