import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { enroll, seedDirectory, startHarness, type Harness } from '../helpers/harness.js'

/**
 * Everything Loa does, on the Department's Zalo OA: linking by messaging the invite code, a brief
 * with a real "Đã đọc" button, a quiz answered with option buttons, a check-in, a status report.
 * A press on an `oa.query.show` button comes back as the person's message carrying its payload.
 */
let h: Harness
let ids: Awaited<ReturnType<typeof seedDirectory>>
const LAN = '4369813276543210987'
const MINH = '4369813276543210988'

beforeEach(async () => {
  h = await startHarness()
  ids = await seedDirectory(h)
  await h.connectOa()
  await enroll(h, ids.lan, 'zalo_oa', LAN)
  await enroll(h, ids.minh, 'zalo_oa', MINH)
})
afterEach(() => h.close())

const json = async (res: Response) => (await res.json()) as any
const last = (user: string) => h.oa.sentTo(user).at(-1)!
const lastText = (user: string) => String(last(user).params.text)
const buttons = (user: string) => (last(user).params.buttons ?? []) as { title: string; type: string; payload: string }[]
/** The person presses the button titled `title` on the last message. */
const press = async (user: string, title: string) => {
  const b = buttons(user).find((x) => x.title === title)
  if (!b) throw new Error(`no button "${title}" in ${JSON.stringify(buttons(user))}`)
  expect(b.type).toBe('oa.query.show')
  return h.say.oa(user, b.payload)
}

describe('journeys on the Zalo OA', () => {
  it('greets a teacher linked by the code she messaged, by name', () => {
    expect(h.oa.sentTo(LAN).map((c) => c.params.text).join('\n')).toContain('Nguyễn Thị Lan')
  })

  it('sends a brief with a real "Đã đọc" button, and the press is recorded once', async () => {
    const res = await h.api('/broadcasts', {
      body: { kind: 'brief', title: 'Quán triệt Nghị quyết 71', body: 'Nội dung quán triệt.', requireAck: true, audience: { unitCodes: ['THCS-ANHOA'] } },
    })
    const { id } = await json(res)
    await h.flush()
    expect(lastText(LAN)).toContain('Quán triệt Nghị quyết 71')
    // A button, so no typed-answer instruction (that is for the Zalo bot, which has none).
    expect(lastText(LAN)).not.toContain('trả lời "đã đọc"')
    expect(buttons(LAN)).toEqual([{ title: 'Đã đọc', type: 'oa.query.show', payload: `Đã đọc #ack:${id}` }])
    const button = buttons(LAN)[0]!
    await press(LAN, 'Đã đọc')
    expect(lastText(LAN)).toContain('Đã ghi nhận bạn đọc "Quán triệt Nghị quyết 71"')
    // The same button pressed again later, on the brief higher up in the chat.
    await h.say.oa(LAN, button.payload)
    expect(lastText(LAN)).toContain('đã xác nhận đọc')
    expect(await json(await h.api(`/broadcasts/${id}`))).toMatchObject({ sent: 2, acknowledged: 1 })
  })

  it('runs a quiz with a start button and option buttons', async () => {
    const quiz = await json(
      await h.api('/quizzes', {
        body: {
          title: 'Hiểu đúng Nghị quyết 71',
          closesAt: '2026-03-20T10:00:00Z',
          audience: { roles: ['teacher'] },
          questions: [
            { text: 'Nghị quyết 71 bàn về lĩnh vực nào?', options: ['Y tế', 'Giáo dục và đào tạo', 'Giao thông'], correct: 1 },
            { text: 'Kết quả truyền thông cần dựa trên gì?', options: ['Minh chứng', 'Cảm nhận'], correct: 0 },
          ],
        },
      }),
    )
    expect(quiz.invitations.queued).toBe(2)
    await h.flush()
    expect(lastText(LAN)).toContain('Hiểu đúng Nghị quyết 71')
    expect(lastText(LAN)).not.toContain('kiem tra')
    await press(LAN, buttons(LAN)[0]!.title)
    expect(lastText(LAN)).toContain('Nghị quyết 71 bàn về lĩnh vực nào?')
    expect(lastText(LAN)).toContain('B. Giáo dục và đào tạo')
    expect(buttons(LAN).map((b) => b.title)).toEqual(['A', 'B', 'C'])
    await press(LAN, 'B')
    expect(lastText(LAN)).toContain('Kết quả truyền thông cần dựa trên gì?')
    await press(LAN, 'A')
    expect(h.oa.sentTo(LAN).map((c) => c.params.text).join('\n')).toContain('2/2')
    const results = await json(await h.api(`/quizzes/${quiz.id}/results`))
    expect(JSON.stringify(results)).toContain('"passed":1')
  })

  it('checks a teacher in by the typed session code', async () => {
    h.setNow('2026-03-16T02:00:00Z')
    const session = await json(
      await h.api('/sessions', { body: { title: 'Quán triệt tại THCS An Hòa', kind: 'briefing', opensAt: '2026-03-16T01:30:00Z', closesAt: '2026-03-16T04:00:00Z' } }),
    )
    await h.say.oa(LAN, `diem danh ${session.code}`)
    expect(lastText(LAN)).toContain('Quán triệt tại THCS An Hòa')
    const attendance = await json(await h.api(`/sessions/${session.id}/attendance`))
    expect(JSON.stringify(attendance)).toContain('Nguyễn Thị Lan')
  })

  it('takes a focal point’s status report, confirmed with a button', async () => {
    const period = await json(await h.api('/report-periods', { body: { name: 'Báo cáo quý I', dueAt: '2026-03-31', unitKinds: ['school'] } }))
    await h.say.oa(MINH, 'báo cáo')
    await h.say.oa(MINH, '5')
    await h.say.oa(MINH, '3')
    await h.say.oa(MINH, '95%')
    await h.say.oa(MINH, 'không')
    expect(buttons(MINH).map((b) => b.title)).toEqual(['Xác nhận gửi', 'Làm lại', 'Huỷ'])
    await press(MINH, 'Xác nhận gửi')
    expect(lastText(MINH)).toContain('Đã nhận báo cáo «Báo cáo quý I» của Trường THCS An Hòa')
    const status = await json(await h.api(`/report-periods/${period.id}/status`))
    expect(status.items.find((i: any) => i.unitCode === 'THCS-ANHOA')).toMatchObject({ status: 'on_time', report: { activities: 5, digitalProducts: 3, briefedPercent: 95 } })
  })
})
