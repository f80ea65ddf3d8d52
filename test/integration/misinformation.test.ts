import { eq } from 'drizzle-orm'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { claimReports, deliveries, products } from '#db/schema/index.js'
import { fileReport, keepImage } from '#src/domain/misinformation/intake.js'
import { enroll, seedDirectory, tgMessage, type Harness, startHarness } from '../helpers/harness.js'
import { memoryMedia } from '../helpers/media.js'

/**
 * The misinformation desk (issue 23): reports in chat and by the admin become claims (joined by
 * link, image or similar text), a claim moves along a fixed state graph, is routed to an agency's
 * liaison who acknowledges in chat without ever seeing who reported, and a spokesperson's
 * correction reaches every reporter, later ones at once.
 */
let h: Harness
let ids: Awaited<ReturnType<typeof seedDirectory>>
const json = async (res: Response) => (await res.json()) as any
const CODE = /mã (TS-[2-9A-HJKMNP-TV-Z]{4})\b/

const PARENT_TG = '8800000001'
const LAN_TG = '7000000001'
const MINH_ZALO = 'zalo-minh-01'
const HOA_TG = '7000000003'
const LINK = 'https://vnexpress.net/tin-don-nghi-hoc-4801.html'

beforeEach(async () => {
  h = await startHarness({ PUBLIC_URL: 'https://loa.example.gov.vn' })
  ids = await seedDirectory(h)
})
afterEach(() => h.close())

function codeIn(text: string): string {
  const m = CODE.exec(text)
  if (!m) throw new Error(`no case code in: ${text}`)
  return m[1]!
}

/** A reporter with a phone number, linked on Telegram. */
async function seedHoa() {
  const res = await h.api('/people', { body: [{ externalId: 'GV009', fullName: 'Phạm Thị Hoa', unitCode: 'THCS-ANHOA', roles: ['teacher'], phone: '0912345678' }] })
  expect(res.status).toBe(200)
  const hoa = ((await res.json()) as { people: { id: number; externalId: string }[] }).people.find((p) => p.externalId === 'GV009')!.id
  await enroll(h, hoa, 'telegram', HOA_TG)
  return hoa
}

/** The Department of Culture as an agency, with Minh (on Zalo) as its liaison. */
async function cultureWithMinh() {
  await enroll(h, ids.minh, 'zalo', MINH_ZALO)
  const agency = await json(await h.api('/agencies', { body: { name: 'Sở Văn hóa, Thể thao và Du lịch', kind: 'culture' } }))
  const withLiaison = await h.api(`/agencies/${agency.id}/liaisons`, { body: { personId: ids.minh } })
  expect(withLiaison.status).toBe(201)
  expect((await json(withLiaison)).liaisons).toEqual([{ personId: ids.minh, name: 'Trần Văn Minh', unitName: 'Trường THCS An Hòa', reachable: true }])
  return agency.id as number
}

describe('reports in chat', () => {
  it('two reports of the same link (one with tracking parameters) join one claim; each reporter gets a code at once', async () => {
    await h.say.telegram(PARENT_TG, `/baotin Tin đồn các trường nghỉ học cả tuần sau ${LINK}`)
    const first = h.lastText(h.telegram, PARENT_TG)
    expect(first).toMatch(/^Đã nhận phản ánh, mã TS-[2-9A-HJKMNP-TV-Z]{4}\. Sở GD&ĐT sẽ kiểm tra và thông tin lại cho bạn tại đây\./)
    // A new subscriber's first answer carries the privacy notice.
    expect(first).toMatch(/\n\n🔒 Sở lưu mã cuộc trò chuyện/)

    await enroll(h, ids.lan, 'telegram', LAN_TG)
    await h.say.telegram(LAN_TG, `tin sai: có người chia sẻ ${LINK.replace('https://', 'HTTPS://www.')}?utm_source=facebook&fbclid=AbC#binh-luan`)
    const second = h.lastText(h.telegram, LAN_TG)
    expect(second).toMatch(/^Đã nhận phản ánh, mã TS-/)
    expect(codeIn(second)).not.toBe(codeIn(first))

    const list = await json(await h.api('/misinformation'))
    expect(list.claims).toHaveLength(1)
    expect(list.claims[0]).toMatchObject({ id: 1, status: 'received', reportCount: 2, links: [LINK], agency: null })
    expect(list.reports).toHaveLength(2)
    for (const r of list.reports) expect(r).toMatchObject({ claimId: 1, channel: 'telegram', links: [LINK], hasImage: false, consent: false })
    expect(list.reports.map((r: { code: string }) => r.code).sort()).toEqual([codeIn(first), codeIn(second)].sort())
    // No chat id, name or person of a reporter who did not consent.
    const raw = JSON.stringify(list)
    for (const secret of [PARENT_TG, LAN_TG, 'Nguyễn Thị Lan']) expect(raw).not.toContain(secret)
  })

  it('"TIN SAI" in any case, a bare /baotin, and a different rumour make what they should', async () => {
    await h.say.telegram(PARENT_TG, '/baotin')
    expect(h.lastText(h.telegram, PARENT_TG)).toMatch(/^Để báo tin sai lệch về giáo dục, gõ \/baotin/)
    await h.say.telegram(PARENT_TG, 'TIN SAI Học sinh phải nộp thêm 2 triệu tiền máy lạnh')
    expect(h.lastText(h.telegram, PARENT_TG)).toMatch(/^Đã nhận phản ánh, mã TS-/)
    await h.say.telegram(PARENT_TG, '/tinsai Trường THCS An Hòa bị sáp nhập từ tháng sau')
    const list = await json(await h.api('/misinformation'))
    expect(list.claims.map((c: { summary: string }) => c.summary).sort()).toEqual(['Học sinh phải nộp thêm 2 triệu tiền máy lạnh', 'Trường THCS An Hòa bị sáp nhập từ tháng sau'])
  })

  it('closely similar text joins the claim; /baotin <code> answers only that case’s reporters', async () => {
    await h.say.telegram(PARENT_TG, '/baotin Sở GD&ĐT Cần Thơ cho học sinh toàn thành phố nghỉ học từ thứ hai tuần sau vì dịch cúm')
    const code = codeIn(h.lastText(h.telegram, PARENT_TG))
    await h.say.zalo('zalo-parent-2', '/baotin So GD&DT Can Tho cho hoc sinh toan thanh pho nghi hoc tu thu hai tuan sau vi dich cum!!')
    expect(h.lastText(h.zalo, 'zalo-parent-2')).toMatch(/^Đã nhận phản ánh, mã TS-/)
    const list = await json(await h.api('/misinformation'))
    expect(list.claims).toHaveLength(1)
    expect(list.claims[0].reportCount).toBe(2)

    await h.say.telegram(PARENT_TG, `/baotin ${code.toLowerCase()}`)
    expect(h.lastText(h.telegram, PARENT_TG)).toMatch(new RegExp(`^Phản ánh ${code} \\(nhận lúc .+\\): đã tiếp nhận, đang chờ xem xét\\.$`))
    // The other reporter of the same claim may ask by this code too; a stranger may not.
    await h.say.zalo('zalo-parent-2', `/baotin ${code}`)
    expect(h.lastText(h.zalo, 'zalo-parent-2')).toMatch(new RegExp(`^Phản ánh ${code} `))
    await h.say.telegram('8800000077', `/baotin ${code}`)
    expect(h.lastText(h.telegram, '8800000077')).toBe(`Không tìm thấy phản ánh ${code}. Bạn hãy kiểm tra lại mã (dạng TS-7KQ2) trong tin xác nhận đã nhận.`)
  })

  it('a redelivered webhook update makes no second report', async () => {
    const update = tgMessage(PARENT_TG, `/baotin Tin giả về học phí ${LINK}`)
    expect((await h.postWebhook('telegram', update)).status).toBe(200)
    expect((await h.postWebhook('telegram', update)).status).toBe(200)
    expect(await h.db.$count(claimReports)).toBe(1)
    const list = await json(await h.api('/misinformation'))
    expect(list.claims[0].reportCount).toBe(1)
  })

  it('erasing a subscriber keeps the claim and its count, without their chat', async () => {
    await h.say.telegram(PARENT_TG, `/baotin Tin đồn ${LINK}`)
    // Their reports are in their data export until then.
    const exported = await json(await h.api('/subscribers/1/export'))
    expect(exported.misinformationReports).toEqual([expect.objectContaining({ claimId: 1, channel: 'telegram', text: `Tin đồn ${LINK}`, links: [LINK] })])
    await h.say.telegram(PARENT_TG, '/xoa')
    const [r] = await h.db.select().from(claimReports)
    expect(r).toMatchObject({ subscriberId: null, chatId: null, claimId: 1 })
    expect((await json(await h.api('/misinformation'))).claims[0].reportCount).toBe(1)
  })
})

describe('routing to an agency', () => {
  it('tells the liaison the claim without the reporter’s name or phone; "1" on Zalo acknowledges once', async () => {
    await seedHoa()
    const agency = await cultureWithMinh()
    await h.say.telegram(HOA_TG, `/baotin Bài đăng nói giáo viên bị cắt lương tháng này ${LINK}`)
    expect((await h.api('/misinformation/1/transition', { body: { to: 'checking', note: 'Đang xác minh nguồn' } })).status).toBe(200)
    h.setNow('2026-03-16T03:00:00Z')
    const routed = await json(await h.api('/misinformation/1/transition', { body: { to: 'routed', agency } }))
    expect(routed.claim).toMatchObject({ status: 'routed', agency: { id: agency, kind: 'culture' }, routedAt: '2026-03-16T03:00:00.000Z', liaisonAcknowledgedAt: null })
    // The claim's fields are at the top level too.
    expect(routed).toMatchObject({ id: 1, status: 'routed', reportCount: 1 })
    await h.flush()
    const told = h.lastText(h.zalo, MINH_ZALO)
    expect(told).toContain('📣 Tin sai lệch cần xử lý, hồ sơ số 1, chuyển tới Sở Văn hóa, Thể thao và Du lịch:')
    expect(told).toContain('«Bài đăng nói giáo viên bị cắt lương tháng này')
    expect(told).toContain(`Đường link: ${LINK}`)
    expect(told).toContain('Trả lời 1 hoặc gõ "Đã nhận" để xác nhận đã tiếp nhận.')
    for (const secret of ['Phạm Thị Hoa', '0912345678', HOA_TG]) expect(told).not.toContain(secret)
    expect(JSON.stringify(await json(await h.api('/misinformation')))).not.toContain('Phạm Thị Hoa')

    h.setNow('2026-03-16T04:00:00Z')
    await h.say.zalo(MINH_ZALO, '1')
    expect(h.lastText(h.zalo, MINH_ZALO)).toBe('✅ Đã ghi nhận: bạn đã tiếp nhận hồ sơ tin sai lệch số 1. Cảm ơn!')
    await h.say.zalo(MINH_ZALO, 'Đã nhận')
    expect(h.lastText(h.zalo, MINH_ZALO)).toMatch(/^Hồ sơ số 1 đã được xác nhận tiếp nhận lúc 11:00/)
    const detail = await json(await h.api('/misinformation/1'))
    expect(detail.claim.liaisonAcknowledgedAt).toBe('2026-03-16T04:00:00.000Z')
    expect(detail.events.map((e: { from: string | null; to: string; actor: string }) => [e.from, e.to, e.actor])).toEqual([
      [null, 'received', 'system'],
      ['received', 'checking', 'admin_token'],
      ['checking', 'routed', 'admin_token'],
      ['routed', 'routed', 'liaison'],
    ])
    expect(detail.events[1].note).toBe('Đang xác minh nguồn')
  })

  it('refuses moves off the state graph with 409 in Vietnamese and changes nothing', async () => {
    await h.api('/misinformation', { body: { text: 'Tin đồn thi vào lớp 10 bỏ môn Anh' } })
    const refused = await h.api('/misinformation/1/transition', { body: { to: 'answered' } })
    expect(refused.status).toBe(409)
    expect((await json(refused)).error.message).toBe(
      'Không thể chuyển hồ sơ từ trạng thái "đã tiếp nhận, đang chờ xem xét" sang "cơ quan chức năng đã có kết luận, Sở đang chuẩn bị thông tin chính thức". Các bước được phép: đang được kiểm tra, đã chuyển tới cơ quan có thẩm quyền xử lý, đã kết thúc xử lý.',
    )
    const corrected = await h.api('/misinformation/1/transition', { body: { to: 'corrected' } })
    expect(corrected.status).toBe(409)
    const noAgency = await h.api('/misinformation/1/transition', { body: { to: 'routed' } })
    expect(noAgency.status).toBe(400)
    expect((await json(noAgency)).error.message).toBe('Cần chọn cơ quan xử lý (agency) khi chuyển hồ sơ.')
    const unknown = await h.api('/misinformation/1/transition', { body: { to: 'routed', agency: 99 } })
    expect(unknown.status).toBe(400)
    expect((await json(unknown)).error.message).toBe('Không có cơ quan số 99 đang hoạt động.')
    const detail = await json(await h.api('/misinformation/1'))
    expect(detail.claim).toMatchObject({ status: 'received', agency: null, acknowledgedAt: null })
    expect(detail.events).toHaveLength(1)
    expect((await h.api('/misinformation/7/transition', { body: { to: 'checking' } })).status).toBe(404)

    // Closed as out of scope, then reopened with a reason.
    expect((await json(await h.api('/misinformation/1/transition', { body: { to: 'closed', note: 'Ngoài phạm vi' } }))).claim).toMatchObject({ status: 'closed', open: false })
    const reopened = await json(await h.api('/misinformation/1/transition', { body: { to: 'checking', note: 'Có thêm bằng chứng' } }))
    expect(reopened.claim).toMatchObject({ status: 'checking', open: true, closedAt: null })
  })

  it('tells the admins when the agency has no liaison reachable in chat', async () => {
    await enroll(h, ids.phuc, 'telegram', '7000000009')
    const agency = await json(await h.api('/agencies', { body: { name: 'Công an thành phố', kind: 'police' } }))
    await h.api('/misinformation', { body: { text: 'Tin đồn', links: [LINK] } })
    await h.api('/misinformation/1/transition', { body: { to: 'routed', agency: agency.id } })
    await h.flush()
    expect(h.lastText(h.telegram, '7000000009')).toBe(
      `⚠️ False-information case 1 was passed to Công an thành phố, which has no liaison reachable in chat. Add one (POST /api/agencies/${agency.id}/liaisons).`,
    )
  })

  it('reminds the liaison after 4 working hours, then the admins, never on a day off', async () => {
    await enroll(h, ids.phuc, 'telegram', '7000000009')
    const agency = await cultureWithMinh()
    await h.api('/misinformation', { body: { text: 'Tin đồn đổi lịch thi', links: [LINK] } })
    // Monday 09:00 in Cần Thơ.
    h.setNow('2026-03-16T02:00:00Z')
    await h.api('/misinformation/1/transition', { body: { to: 'routed', agency } })
    await h.flush()
    const before = h.texts(h.zalo, MINH_ZALO).length
    // 14:59: 3 h 59 working minutes (09:00–11:30, 13:30–14:59).
    h.setNow('2026-03-16T07:59:00Z')
    expect(await json(await h.api('/jobs/misinfo-reminders/run', { body: {} }))).toMatchObject({ liaisonsReminded: 0 })
    h.setNow('2026-03-16T08:00:00Z')
    expect(await json(await h.api('/jobs/misinfo-reminders/run', { body: {} }))).toMatchObject({ liaisonsReminded: 1 })
    await h.flush()
    expect(h.texts(h.zalo, MINH_ZALO).length).toBe(before + 1)
    expect(h.lastText(h.zalo, MINH_ZALO)).toMatch(/^⏰ Nhắc: hồ sơ tin sai lệch số 1 chuyển tới Sở Văn hóa, Thể thao và Du lịch lúc 09:00 16\/03\/2026 chưa được xác nhận tiếp nhận\./)
    // Four more working hours: Tuesday 09:00. At 08:59 not yet.
    h.setNow('2026-03-17T01:59:00Z')
    expect(await json(await h.api('/jobs/misinfo-reminders/run', { body: {} }))).toMatchObject({ liaisonsReminded: 0, adminsTold: 0 })
    h.setNow('2026-03-17T02:00:00Z')
    expect(await json(await h.api('/jobs/misinfo-reminders/run', { body: {} }))).toMatchObject({ adminsTold: 1 })
    await h.flush()
    expect(h.lastText(h.telegram, '7000000009')).toMatch(/False-information case 1, passed to Sở Văn hóa, Thể thao và Du lịch at 09:00 16\/03\/2026, is still not acknowledged/)
    // A Sunday: nothing is looked at.
    h.setNow('2026-03-22T03:00:00Z')
    expect(await json(await h.api('/jobs/misinfo-reminders/run', { body: {} }))).toMatchObject({ skipped: 'day off' })
  })
})

describe('a screenshot', () => {
  it('is served by its SHA-256 and its link is in the liaison’s message (Node, with a media store)', async () => {
    const store = memoryMedia()
    h.deps.media = store
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 7, 7, 7])
    const image = await keepImage(store, { fetchImage: async () => ({ bytes: png, mime: 'image/png' }) }, { ref: 'photo-1' })
    await fileReport(h.db, { channel: 'telegram', text: '', reporter: { kind: 'none' }, chatId: PARENT_TG, image, updateId: 'photo-update', now: h.now() })
    const res = await h.app.request(`/media/${image!.sha256}`)
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('image/png')
    expect(new Uint8Array(await res.arrayBuffer())).toEqual(png)
    expect((await h.app.request(`/media/${'0'.repeat(64)}`)).status).toBe(404)
    expect((await h.app.request('/media/..%2F..%2Fetc')).status).toBe(404)

    const agency = await cultureWithMinh()
    await h.api('/misinformation/1/transition', { body: { to: 'routed', agency } })
    await h.flush()
    const told = h.lastText(h.zalo, MINH_ZALO)
    expect(told).toContain('«(chỉ có ảnh chụp màn hình)»')
    expect(told).toContain(`Ảnh: https://loa.example.gov.vn/media/${image!.sha256}`)
    expect((await json(await h.api('/misinformation'))).reports[0]).toMatchObject({ hasImage: true, imageSha256: image!.sha256, imageMime: 'image/png' })
  })
})

describe('a correction', () => {
  it('needs a spokesperson; reaches both reporters, goes into the library, and reaches a later reporter at once', async () => {
    await enroll(h, ids.lan, 'telegram', LAN_TG)
    await h.say.telegram(PARENT_TG, `/baotin Tin đồn nghỉ học ${LINK}`)
    const code1 = codeIn(h.lastText(h.telegram, PARENT_TG))
    await h.say.zalo('zalo-parent-2', `/baotin ${LINK}?utm_medium=social`)
    const code2 = codeIn(h.lastText(h.zalo, 'zalo-parent-2'))
    await h.api('/misinformation/1/transition', { body: { to: 'checking' } })

    // An editor without the spokesperson permission is refused, and nothing changes.
    await h.api(`/people/${ids.lan}/console-role`, { method: 'PUT', body: { role: 'editor' } })
    const token = (await json(await h.api('/tokens', { body: { personId: ids.lan, label: 'desk' } }))).token as string
    const text = 'Sở GD&ĐT Cần Thơ khẳng định: không có quyết định cho học sinh nghỉ học. Lịch học vẫn như bình thường.'
    const refused = await h.api('/misinformation/1/correction', { body: { text }, token })
    expect(refused.status).toBe(403)
    expect((await json(refused)).error.message).toBe('Chỉ quản trị viên, hoặc biên tập viên có quyền người phát ngôn (spokesperson), mới được đăng thông tin cải chính.')
    expect((await json(await h.api('/misinformation/1'))).claim.status).toBe('checking')

    const granted = await h.api(`/people/${ids.lan}/spokesperson`, { method: 'PUT', body: { spokesperson: true } })
    expect(await json(granted)).toMatchObject({ personId: ids.lan, spokesperson: true, role: 'editor' })
    expect((await json(await h.api('/accounts'))).items.find((a: { personId: number }) => a.personId === ids.lan)).toMatchObject({ spokesperson: true })
    h.setNow('2026-03-16T06:00:00Z')
    const res = await h.api('/misinformation/1/correction', { body: { text }, token })
    expect(res.status).toBe(200)
    const body = await json(res)
    expect(body.claim).toMatchObject({ status: 'corrected', correctedAt: '2026-03-16T06:00:00.000Z', correction: { text, correctedBy: ids.lan } })
    expect(body.queued).toBe(2)
    await h.flush()
    expect(h.lastText(h.telegram, PARENT_TG)).toBe(`✅ Sở GD&ĐT cải chính thông tin bạn đã phản ánh (mã ${code1}):\n\n${text}`)
    expect(h.lastText(h.zalo, 'zalo-parent-2')).toContain(`✅ Sở GD&ĐT cải chính thông tin bạn đã phản ánh (mã ${code2}):\n\n${text}`)
    const [entry] = await h.db.select().from(products).where(eq(products.id, body.productId))
    expect(entry).toMatchObject({ kind: 'correction', body: text, audience: 'public', status: 'published', tags: ['cải chính'] })
    expect(entry!.body + entry!.title).not.toContain(PARENT_TG)

    // A third person reports the same link later: the correction comes in the acknowledgement itself.
    await h.say.telegram('8800000055', `Tin sai: ${LINK}`)
    const third = h.lastText(h.telegram, '8800000055')
    expect(third).toMatch(new RegExp(`^Đã nhận phản ánh, mã TS-[A-Z0-9]{4}\\. Nội dung này đã được Sở GD&ĐT cải chính:\\n\\n${text.replace(/[.]/g, '\\.')}`))
    const list = await json(await h.api('/misinformation'))
    expect(list.claims[0].reportCount).toBe(3)
    expect(list.reports.every((r: { correctionSentAt: string | null }) => r.correctionSentAt !== null)).toBe(true)
    // Once only: nothing more queued to the first two.
    const queued = await h.db.select().from(deliveries).where(eq(deliveries.source, 'misinfo'))
    expect(queued).toHaveLength(2)
    // The status by code now carries the correction.
    await h.say.telegram(PARENT_TG, `/baotin ${code1}`)
    expect(h.lastText(h.telegram, PARENT_TG)).toContain(`: đã có thông tin cải chính chính thức.\n\nThông tin cải chính của Sở GD&ĐT:\n\n${text}`)
  })
})

describe('a correction on the OA while its window is closed', () => {
  it('is held, and delivered on the reporter’s next message', async () => {
    await h.connectOa()
    const OA_PARENT = '5500000000000000007'
    await h.say.oa(OA_PARENT, `TIN SAI ${LINK}`)
    expect(String(h.oa.sentTo(OA_PARENT).at(-1)!.params.text)).toMatch(/^Đã nhận phản ánh, mã TS-/)
    // Eight days later the OA's window (7 days) is closed.
    h.setNow(new Date(h.now().getTime() + 8 * 86_400_000))
    const text = 'Sở GD&ĐT: thông tin này không đúng.'
    expect(await json(await h.api('/misinformation/1/correction', { body: { text } }))).toMatchObject({ queued: 1 })
    await h.flush()
    expect(h.oa.sentTo(OA_PARENT).some((c) => String(c.params.text).endsWith(text))).toBe(false)
    const [held] = await h.db.select().from(deliveries).where(eq(deliveries.source, 'misinfo'))
    expect(held).toMatchObject({ status: 'queued', channel: 'zalo_oa', chatId: OA_PARENT })
    expect(held!.expiresAt!.getTime() - h.now().getTime()).toBe(30 * 86_400_000)
    h.setNow(new Date(h.now().getTime() + 12 * 86_400_000))
    await h.say.oa(OA_PARENT, 'Xin chào')
    await h.flush()
    expect(h.oa.sentTo(OA_PARENT).some((c) => String(c.params.text).endsWith(text))).toBe(true)
  })
})

describe('the admin API', () => {
  it('files an admin’s own report, and refuses bad input with clear 400s', async () => {
    const created = await h.api('/misinformation', { body: { text: 'Trang mạng đăng sai điểm chuẩn', links: ['www.Example.com/diem-chuan/?gclid=1'] } })
    expect(created.status).toBe(201)
    const body = await json(created)
    expect(body.report).toMatchObject({ channel: 'admin', links: ['https://example.com/diem-chuan'], reporter: { kind: 'none' } })
    expect(body.report.code).toMatch(/^TS-[2-9A-HJKMNP-TV-Z]{4}$/)
    expect(body).toMatchObject({ code: body.report.code, claimId: 1, joined: false })
    expect(body.claim).toMatchObject({ status: 'received', reportCount: 1 })

    // Filters: by status and by the day received.
    expect((await json(await h.api('/misinformation?status=received'))).claims).toHaveLength(1)
    expect(await json(await h.api('/misinformation?status=routed'))).toEqual({ claims: [], reports: [] })
    expect((await json(await h.api('/misinformation?from=2026-03-16&to=2026-03-16'))).claims).toHaveLength(1)
    expect((await json(await h.api('/misinformation?from=2026-03-17'))).claims).toHaveLength(0)
    expect((await h.api('/misinformation?status=bogus')).status).toBe(400)

    const empty = await h.api('/misinformation', { body: { text: '   ' } })
    expect(empty.status).toBe(400)
    expect(JSON.stringify(await json(empty))).toContain('cần nội dung hoặc ít nhất một đường link')
    const long = await h.api('/misinformation', { body: { text: 'a'.repeat(20_000) } })
    expect(long.status).toBe(400)
    expect(JSON.stringify(await json(long))).toContain('nội dung dài quá (tối đa 4.000 ký tự)')
    const badJson = await h.api('/misinformation', { body: '{"text": "x"' })
    expect(badJson.status).toBe(400)
    const badAgency = await h.api('/agencies', { body: { name: '', kind: 'culture' } })
    expect(badAgency.status).toBe(400)
    const badKind = await h.api('/agencies', { body: { name: 'Công an TP', kind: 'army' } })
    expect(badKind.status).toBe(400)
    expect((await h.api('/agencies/1/liaisons', { body: { personId: ids.lan } })).status).toBe(404)
    expect(await h.db.$count(claimReports)).toBe(1)
    expect((await json(await h.api('/agencies'))).total).toBe(0)
  })

  it('keeps the agencies list: edit, deactivate when in use, delete when not', async () => {
    const a = await json(await h.api('/agencies', { body: { name: 'UBND phường Ninh Kiều', kind: 'ward' } }))
    const b = await json(await h.api('/agencies', { body: { name: 'Công an TP Cần Thơ', kind: 'police' } }))
    const renamed = await json(await h.api(`/agencies/${b.id}`, { method: 'PATCH', body: { name: 'Công an thành phố Cần Thơ' } }))
    expect(renamed).toMatchObject({ name: 'Công an thành phố Cần Thơ', kind: 'police', active: true })
    await h.api('/misinformation', { body: { text: 'Tin đồn', links: [LINK] } })
    // The agency may be named as the list spells it, any case.
    const routed = await json(await h.api('/misinformation/1/transition', { body: { to: 'routed', agency: 'ubnd phường ninh kiều' } }))
    expect(routed.claim).toMatchObject({ status: 'routed', agency: { id: a.id, kind: 'ward' }, tipCount: 1 })
    expect(await json(await h.api(`/agencies/${a.id}`, { method: 'DELETE' }))).toEqual({ id: a.id, deleted: false, active: false })
    expect(await json(await h.api(`/agencies/${b.id}`, { method: 'DELETE' }))).toEqual({ id: b.id, deleted: true, active: false })
    // An inactive agency takes no new claims.
    await h.api('/misinformation', { body: { text: 'Tin khác', links: ['https://other.vn/x'] } })
    expect((await h.api('/misinformation/2/transition', { body: { to: 'routed', agency: a.id } })).status).toBe(400)
  })

  it('broadcasts a correction to staff when asked, through the broadcast layer', async () => {
    await enroll(h, ids.lan, 'telegram', LAN_TG)
    await h.api('/misinformation', { body: { text: 'Tin đồn bỏ thi tốt nghiệp', links: [LINK] } })
    const text = 'Kỳ thi tốt nghiệp vẫn diễn ra theo kế hoạch.'
    const res = await json(await h.api('/misinformation/1/correction', { body: { text, broadcast: { unitCodes: ['THCS-ANHOA'] } } }))
    expect(res.broadcastId).toEqual(expect.any(Number))
    const b = await json(await h.api(`/broadcasts/${res.broadcastId}`))
    expect(b).toMatchObject({ body: text, productId: res.productId })
    await h.flush()
    expect(h.texts(h.telegram, LAN_TG).some((t) => t.includes(text))).toBe(true)
  })

  it('gives the clocks in working hours per agency', async () => {
    const agency = await cultureWithMinh()
    // Monday 09:00 received; 10:00 checking; Monday 16:00 routed; Tuesday 08:00 acknowledged; Tuesday 10:00 corrected.
    h.setNow('2026-03-16T02:00:00Z')
    await h.api('/misinformation', { body: { text: 'Tin đồn', links: [LINK] } })
    h.setNow('2026-03-16T03:00:00Z')
    await h.api('/misinformation/1/transition', { body: { to: 'checking' } })
    h.setNow('2026-03-16T09:00:00Z')
    await h.api('/misinformation/1/transition', { body: { to: 'routed', agency } })
    h.setNow('2026-03-17T01:00:00Z')
    await h.say.zalo(MINH_ZALO, 'đã nhận')
    h.setNow('2026-03-17T03:00:00Z')
    expect((await h.api('/misinformation/1/correction', { body: { text: 'Cải chính: không có việc này.' } })).status).toBe(200)
    const stats = await json(await h.api('/misinformation/stats?from=2026-03-01&to=2026-03-31'))
    expect(stats.all).toMatchObject({
      claims: 1,
      reports: 1,
      toAcknowledge: { count: 1, medianWorkingHours: 1, p90WorkingHours: 1 },
      // 09:00–11:30 and 13:30–16:00.
      toRoute: { count: 1, medianWorkingHours: 5 },
      // 16:00–17:00 and Tuesday 07:00–08:00.
      liaisonToAcknowledge: { count: 1, medianWorkingHours: 2 },
      // Monday 09:00 to Tuesday 10:00: 6 + 3.
      toCorrect: { count: 1, medianWorkingHours: 9 },
    })
    expect(stats.agencies).toEqual([expect.objectContaining({ agency: { id: agency, name: 'Sở Văn hóa, Thể thao và Du lịch', kind: 'culture' }, claims: 1 })])
  })
})
