import { enroll, type Harness } from './harness.js'

/**
 * A small city built through the real app over three months (directory, broadcasts,
 * acknowledgements, sessions, reports), for the plan's targets: the figures the tests expect are
 * worked out by hand from this picture (test/integration/targets-plan.test.ts, test/browser/overview.test.ts).
 *
 *   SGDDT (department)                        no declared staff
 *   ├── P-A (commune, ward A)                 staff 10   W1 comms staff (Zalo)
 *   │   └── TH-A1 (school)                    staff 30   A1, A2 teachers; A3 manager + focal point
 *   ├── P-B (commune, ward B)                 —          C2 comms staff (Telegram)
 *   │   └── TH-B1 (school)                    —          B1 teacher (entered 05/03); B2 teacher + focal point, no chat
 *   ├── TH-D (school, under no ward)          staff 5    D1 teacher + focal point
 *   └── BAO (press: not an education unit)    staff 50   PR teacher
 *
 *   15/01 brief to everyone        → A1 A2 A3 W1 C2 D1 PR (B1 not yet in the directory; B2 no chat)
 *   15/02 announcement to TH-A1    → A1 A2 A3
 *   10/03 report due (schools): TH-A1 sends on 08/03, TH-D late on 12/03, TH-B1 never
 *   15/03 brief to everyone        → A1 A2 A3 W1 C2 B1 D1 PR; A1 acknowledges
 *   16/03 briefing: W1 checks in; training: C2 checks in
 *   now 20/03
 */
export const at = (day: string, time = '09:00') => `${day}T${time}:00+07:00`

export async function seedCity(h: Harness) {
  h.setNow(at('2026-01-10'))
  const units = await h.api('/units', {
    body: [
      { code: 'SGDDT', name: 'Sở Giáo dục và Đào tạo', kind: 'department' },
      { code: 'P-A', name: 'Phường A', kind: 'commune', parentCode: 'SGDDT', staffCount: 10 },
      { code: 'TH-A1', name: 'Trường A1', kind: 'school', parentCode: 'P-A', staffCount: 30 },
      { code: 'P-B', name: 'Phường B', kind: 'commune', parentCode: 'SGDDT' },
      { code: 'TH-B1', name: 'Trường B1', kind: 'school', parentCode: 'P-B' },
      { code: 'TH-D', name: 'Trường D', kind: 'school', parentCode: 'SGDDT', staffCount: 5 },
      { code: 'BAO', name: 'Báo Cần Thơ', kind: 'press', parentCode: 'SGDDT', staffCount: 50 },
    ],
  })
  if (units.status !== 200) throw new Error(`units: ${await units.text()}`)
  const add = async (rows: { externalId: string; fullName: string; unitCode: string; roles: string[] }[]) => {
    const res = await h.api('/people', { body: rows })
    if (res.status !== 200) throw new Error(`people: ${await res.text()}`)
    const body = (await res.json()) as { people: { id: number; externalId: string }[] }
    return Object.fromEntries(body.people.map((p) => [p.externalId, p.id]))
  }
  const ids = await add([
    { externalId: 'A1', fullName: 'An Văn Một', unitCode: 'TH-A1', roles: ['teacher'] },
    { externalId: 'A2', fullName: 'An Văn Hai', unitCode: 'TH-A1', roles: ['teacher'] },
    { externalId: 'A3', fullName: 'An Văn Ba', unitCode: 'TH-A1', roles: ['manager', 'focal_point'] },
    { externalId: 'W1', fullName: 'Vũ Thị Phường', unitCode: 'P-A', roles: ['comms_staff'] },
    { externalId: 'C2', fullName: 'Cao Thị Hai', unitCode: 'P-B', roles: ['comms_staff'] },
    { externalId: 'B2', fullName: 'Bùi Văn Hai', unitCode: 'TH-B1', roles: ['teacher', 'focal_point'] },
    { externalId: 'D1', fullName: 'Đỗ Văn Một', unitCode: 'TH-D', roles: ['teacher', 'focal_point'] },
    { externalId: 'PR', fullName: 'Phan Văn Báo', unitCode: 'BAO', roles: ['teacher'] },
  ])
  await enroll(h, ids.A1!, 'telegram', '7100000001')
  await enroll(h, ids.A2!, 'zalo', 'zl-a2')
  await enroll(h, ids.A3!, 'telegram', '7100000003')
  await enroll(h, ids.W1!, 'zalo', 'zl-w1')
  await enroll(h, ids.C2!, 'telegram', '7100000005')
  await enroll(h, ids.D1!, 'telegram', '7100000007')
  await enroll(h, ids.PR!, 'zalo', 'zl-pr')

  const send = async (day: string, body: Record<string, unknown>) => {
    h.setNow(at(day))
    const res = await h.api('/broadcasts', { body })
    if (res.status !== 201) throw new Error(`broadcast: ${await res.text()}`)
    await h.flush()
    return ((await res.json()) as { id: number }).id
  }
  await send('2026-01-15', { kind: 'brief', title: 'Tóm tắt NQ71 (1)', body: 'Nội dung.', audience: { unitCodes: ['SGDDT'] } })
  await send('2026-02-15', { kind: 'announcement', title: 'Thông báo', body: 'Nội dung.', audience: { unitCodes: ['TH-A1'] } })

  h.setNow(at('2026-03-01'))
  const period = await h.api('/report-periods', { body: { name: 'Báo cáo quý I', dueAt: '2026-03-10', unitKinds: ['school'] } })
  if (period.status !== 201) throw new Error(`period: ${await period.text()}`)
  const periodId = ((await period.json()) as { id: number }).id
  h.setNow(at('2026-03-05'))
  Object.assign(ids, await add([{ externalId: 'B1', fullName: 'Bùi Văn Một', unitCode: 'TH-B1', roles: ['teacher'] }]))
  await enroll(h, ids.B1!, 'telegram', '7100000006')
  h.setNow(at('2026-03-08'))
  await h.say.telegram('7100000003', '/baocao hd 2, sp 1, pb 90, kk không')
  await h.say.press('7100000003', `rp:${periodId}:confirm`)
  h.setNow(at('2026-03-12'))
  await h.say.telegram('7100000007', '/baocao hd 1, sp 0, pb 50, kk không')
  await h.say.press('7100000007', `rp:${periodId}:confirm`)

  const brief = await send('2026-03-15', { kind: 'brief', title: 'Tóm tắt NQ71 (2)', body: 'Nội dung.', audience: { unitCodes: ['SGDDT'] } })
  await h.say.press('7100000001', `ack:${brief}`)
  h.setNow(at('2026-03-16'))
  const window = { opensAt: at('2026-03-16', '08:00'), closesAt: at('2026-03-16', '11:00') }
  const briefing = (await (await h.api('/sessions', { body: { title: 'Quán triệt', kind: 'briefing', ...window } })).json()) as { code: string }
  const training = (await (await h.api('/sessions', { body: { title: 'Tập huấn', kind: 'training', ...window } })).json()) as { code: string }
  await h.say.zalo('zl-w1', `diem danh ${briefing.code}`)
  await h.say.telegram('7100000005', `/diemdanh ${training.code}`)
  h.setNow(at('2026-03-20'))
  return { ids, periodId }
}


/**
 * After seedCity: a two-question quiz for TH-A1 opened on 18/03, its invitations sent; on
 * Telegram A1 answers both right (passes), A3 one of two (does not pass; the pass mark is 80 %).
 * Only the overview's quiz chart uses it (quiz results count in no target).
 */
export async function seedQuiz(h: Harness) {
  h.setNow(at('2026-03-18'))
  const res = await h.api('/quizzes', {
    body: {
      title: 'Hiểu đúng NQ71',
      questions: [
        { text: 'Nghị quyết 71 bàn về lĩnh vực nào?', options: ['Y tế', 'Giáo dục và đào tạo'], correct: 1 },
        { text: 'Kết quả truyền thông dựa trên gì?', options: ['Cảm nhận', 'Minh chứng'], correct: 1 },
      ],
      closesAt: at('2026-03-19', '17:00'),
      audience: { unitCodes: ['TH-A1'] },
    },
  })
  if (res.status !== 201) throw new Error(`quiz: ${await res.text()}`)
  const { id } = (await res.json()) as { id: number }
  await h.flush()
  for (const [chat, answers] of [['7100000001', [1, 1]], ['7100000003', [0, 1]]] as const) {
    await h.say.press(chat, `qz:${id}:start`)
    for (const [q, a] of answers.entries()) await h.say.press(chat, `qz:${id}:${q}:${a}`)
  }
  h.setNow(at('2026-03-20'))
  return id
}
