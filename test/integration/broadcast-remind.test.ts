import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { previewBroadcast } from '#src/domain/broadcast/render.js'
import { parseLocalDateTime } from '#src/time.js'
import { enroll, seedDirectory, startHarness, type Harness } from '../helpers/harness.js'

let h: Harness
let ids: Awaited<ReturnType<typeof seedDirectory>>

/** Lan (THCS-ANHOA, Telegram 101), Minh (THCS-ANHOA, Zalo z102), Phúc (SGDDT, English, Telegram 103). */
beforeEach(async () => {
  h = await startHarness()
  ids = await seedDirectory(h)
  await enroll(h, ids.lan, 'telegram', '101')
  await enroll(h, ids.minh, 'zalo', 'z102')
  await enroll(h, ids.phuc, 'telegram', '103')
  await h.flush()
  h.telegram.reset()
  h.zalo.reset()
})
afterEach(() => h.close())

async function send(extra: Record<string, unknown> = {}) {
  const res = await h.api('/broadcasts', {
    body: { kind: 'brief', title: 'Quán triệt Nghị quyết 71', body: 'Nội dung bản tin.', audience: {}, ...extra },
  })
  expect(res.status).toBe(201)
  const b = (await res.json()) as { id: number }
  await h.flush()
  return b.id
}

const remind = (id: number, body?: unknown) => h.api(`/broadcasts/${id}/remind`, { method: 'POST', body })

describe('reminding who has not acknowledged a broadcast', () => {
  it('queues one reminder per unacknowledged person, on the chat the brief went to, once a day', async () => {
    const id = await send()
    await h.say.press(101, `ack:${id}`) // Lan read it
    h.telegram.reset()

    const all = await remind(id)
    expect(all.status).toBe(200)
    expect(await all.json()).toEqual({ people: 2, queued: 2 })
    await h.flush()
    // Minh on Zalo: numbered choice and the typed hint; Phúc in English with the button; Lan nothing.
    expect(h.lastText(h.zalo, 'z102')).toContain('Bạn chưa xác nhận đã đọc "Quán triệt Nghị quyết 71"')
    expect(h.lastText(h.zalo, 'z102')).toContain('1. Đã đọc')
    expect(h.lastText(h.telegram, '103')).toContain('You have not yet confirmed reading')
    expect(h.telegram.sentTo('101')).toHaveLength(0)

    // A second click the same day queues nothing new; the next day it does again.
    expect(await (await remind(id)).json()).toEqual({ people: 2, queued: 0 })
    h.setNow(new Date(h.now().getTime() + 86_400_000))
    expect(await (await remind(id)).json()).toEqual({ people: 2, queued: 2 })

    // The reminder's "1" acknowledges the brief on Zalo.
    await h.say.zalo('z102', '1')
    const stats = (await (await h.api(`/broadcasts/${id}`)).json()) as { acknowledged: number }
    expect(stats.acknowledged).toBe(2)
  })

  it('narrows to one unit, and refuses what cannot be reminded, changing nothing', async () => {
    const id = await send()
    expect(await (await remind(id, { unitCode: 'THCS-ANHOA' })).json()).toEqual({ people: 2, queued: 2 })
    expect(await (await remind(id, { unitCode: 'SGDDT' })).json()).toEqual({ people: 1, queued: 1 })

    const unknown = await remind(id, { unitCode: 'NOPE' })
    expect(unknown.status).toBe(422)
    expect(((await unknown.json()) as { error: { message: string } }).error.message).toContain('NOPE')
    expect((await remind(9999)).status).toBe(404)

    const noAck = await send({ requireAck: false, title: 'Không cần xác nhận' })
    const refused = await remind(noAck)
    expect(refused.status).toBe(409)
    expect(((await refused.json()) as { error: { message: string } }).error.message).toContain('không yêu cầu xác nhận')

    const later = await send({ scheduledAt: '2026-03-20T08:00:00+07:00', title: 'Hẹn giờ' })
    expect((await remind(later)).status).toBe(409)
  })
})

describe('audience by unit kind', () => {
  it('counts only units of the chosen kinds, within the chosen units when given', async () => {
    const res = await h.api('/broadcasts', {
      body: { kind: 'announcement', title: 'Trường học', body: 'Chỉ gửi trường học.', audience: { unitKinds: ['school'] } },
    })
    expect(((await res.json()) as { people: number }).people).toBe(2)
    const within = await h.api('/broadcasts', {
      body: { kind: 'announcement', title: 'Sở', body: 'Chỉ Sở.', audience: { unitCodes: ['SGDDT'], unitKinds: ['department'] } },
    })
    expect(((await within.json()) as { people: number }).people).toBe(1)
    const bad = await h.api('/broadcasts', { body: { kind: 'announcement', title: 'x', body: 'y', audience: { unitKinds: ['castle'] } } })
    expect(bad.status).toBe(400)
  })
})

describe('preview as each platform shows it', () => {
  it('keeps the button on Telegram and the Zalo OA and words it once on Zalo, by the adapters’ own rules', () => {
    const b = { id: 1, kind: 'brief' as const, title: 'Tiêu đề', body: 'Nội dung', link: 'https://example.org/nq71', imageUrl: null, requireAck: true }
    const vi = previewBroadcast(b, 'vi')
    expect(vi.telegram).toHaveLength(1)
    expect(vi.telegram[0]!.buttons).toEqual(['Đã đọc'])
    expect(vi.telegram[0]!.text).toContain('Xem thêm: https://example.org/nq71')
    expect(vi.zalo[0]!.buttons).toEqual([])
    // Zalo has no buttons: the text says once what to type, with no numbered line to repeat it.
    expect(vi.zalo[0]!.text).toMatch(/trả lời "đã đọc" \(hoặc số 1\) để xác nhận\.$/)
    expect(vi.zalo[0]!.text).not.toContain('1. Đã đọc')
    // The Zalo OA has buttons, as Telegram does.
    expect(vi.zalo_oa[0]!.buttons).toEqual(['Đã đọc'])
    // A body over Zalo's 2,000 characters is split as the adapter splits it; Telegram keeps one message.
    const long = previewBroadcast({ ...b, body: 'Một câu dài. '.repeat(250) }, 'vi')
    expect(long.zalo.length).toBe(2)
    expect(long.telegram.length).toBe(1)
  })
})

describe('dates typed dd/mm/yyyy HH:mm', () => {
  it('reads Vietnam time strictly', () => {
    expect(parseLocalDateTime('05/03/2026', '08:30', 'Asia/Ho_Chi_Minh')).toEqual({ at: new Date('2026-03-05T01:30:00Z') })
    expect(parseLocalDateTime('5/3/2026', '8:30', 'Asia/Ho_Chi_Minh')).toEqual({ at: new Date('2026-03-05T01:30:00Z') })
    expect(parseLocalDateTime('31/02/2026', '08:30', 'Asia/Ho_Chi_Minh')).toEqual({ error: 'dateInvalid' })
    expect(parseLocalDateTime('2026-03-05', '08:30', 'Asia/Ho_Chi_Minh')).toEqual({ error: 'dateFormat' })
    expect(parseLocalDateTime('05/03/2026', '24:00', 'Asia/Ho_Chi_Minh')).toEqual({ error: 'timeInvalid' })
    expect(parseLocalDateTime('05/03/2026', '8h', 'Asia/Ho_Chi_Minh')).toEqual({ error: 'timeFormat' })
    expect(parseLocalDateTime('', '', 'Asia/Ho_Chi_Minh')).toEqual({ error: 'dateMissing' })
    expect(parseLocalDateTime('05/03/2026', '', 'Asia/Ho_Chi_Minh')).toEqual({ error: 'timeMissing' })
  })
})
