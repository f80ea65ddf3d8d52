import { readFileSync } from 'node:fs'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { enroll, startWithLinkedPeople, type Harness } from '../helpers/harness.js'

/**
 * An OA follow alone makes the follower a subscriber (issue 23): recorded at once, without ward or
 * consent, and sent nothing (the OA may answer only a message: platforms.md 2.2). Their first
 * message is answered with the privacy notice, once; an unfollow marks them unreachable; a follower
 * linked to the directory stays staff and is no subscriber.
 */
let h: Harness
let ids: Awaited<ReturnType<typeof startWithLinkedPeople>>['ids']
const follow = JSON.parse(readFileSync(new URL('../fixtures/zalo-oa-follow.json', import.meta.url), 'utf8'))
const FOLLOWER = follow.follower.id as string
const json = async (res: Response) => (await res.json()) as any
const at = (msAgo: number) => String(h.now().getTime() - msAgo)
const subscribersList = async () => (await json(await h.api('/subscribers'))).items as any[]
const lastOa = (chat: string) => String(h.oa.sentTo(chat).at(-1)?.params.text ?? '')
const PRIVACY = '🔒 Sở lưu mã cuộc trò chuyện'

beforeEach(async () => {
  ;({ h, ids } = await startWithLinkedPeople({ telegram: '6100000001', zalo: 'zl-minh-01' }))
  await h.connectOa()
})
afterEach(() => h.close())

describe('an OA follow', () => {
  it('records the follower as a subscriber, sends nothing, and gives the privacy notice with the first answer only', async () => {
    expect((await h.postOa({ ...follow, timestamp: at(60_000) })).status).toBe(200)
    await h.flush()
    expect(await subscribersList()).toEqual([expect.objectContaining({ channel: 'zalo_oa', ward: null, optedIn: false, blocked: false })])
    // The OA's window is not open on a follow: nothing goes to the follower.
    expect(h.oa.sentTo(FOLLOWER)).toHaveLength(0)
    // The same follow delivered twice records one subscriber.
    expect((await h.postOa({ ...follow, timestamp: at(60_000) })).status).toBe(200)
    expect(await subscribersList()).toHaveLength(1)

    await h.say.oa(FOLLOWER, '/dangky Ninh Kiều')
    await h.flush()
    expect(lastOa(FOLLOWER)).toContain(PRIVACY)
    expect(await subscribersList()).toEqual([expect.objectContaining({ channel: 'zalo_oa', ward: { code: 'P-NINHKIEU', name: expect.any(String) }, optedIn: true })])
    await h.say.oa(FOLLOWER, '/dangky Ninh Kiều')
    await h.flush()
    expect(lastOa(FOLLOWER)).not.toContain(PRIVACY)
  })

  it('an unfollow marks the follower unreachable, and a follow back lifts it', async () => {
    await h.postOa({ ...follow, timestamp: at(60_000) })
    await h.postOa({ ...follow, event_name: 'unfollow', timestamp: at(30_000) })
    expect(await subscribersList()).toEqual([expect.objectContaining({ blocked: true })])
    await h.postOa({ ...follow, timestamp: at(10_000) })
    expect(await subscribersList()).toEqual([expect.objectContaining({ blocked: false })])
  })

  it('a staff member linked on the OA who follows again is no subscriber', async () => {
    await enroll(h, ids.lan, 'zalo_oa', FOLLOWER)
    await h.postOa({ ...follow, timestamp: at(10_000) })
    expect(await subscribersList()).toEqual([])
  })
})

describe('a first message left as a question', () => {
  it('is kept as a question and its answer carries the privacy notice', async () => {
    await h.say.telegram('8800000055', 'Con tôi học lớp 6, khi nào trường có lịch tựu trường ạ?')
    const reply = h.lastText(h.telegram, '8800000055')
    expect(reply).toContain(PRIVACY)
    expect((await json(await h.api('/questions?status=all'))).total).toBe(1)
  })
})
