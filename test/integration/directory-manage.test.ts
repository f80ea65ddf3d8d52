import { sql } from 'drizzle-orm'
import { afterEach, describe, expect, it } from 'vitest'
import { enroll, startHarness, type Harness } from '../helpers/harness.js'

let h: Harness
afterEach(() => h?.close())

const KEY = 'ef'.repeat(32)
const json = async (res: Response) => ({ status: res.status, body: (await res.json()) as any })
const get = async (path: string) => json(await h.api(path))

/** A ward with two schools, a school elsewhere, and people in each. */
async function seedTree() {
  const units = await h.api('/units', {
    body: [
      { code: 'SGDDT', name: 'Sở Giáo dục và Đào tạo', kind: 'department' },
      { code: 'P-NK', name: 'Phường Ninh Kiều', kind: 'commune', parentCode: 'SGDDT', staffCount: 12 },
      { code: 'TH-NK', name: 'Trường Tiểu học Ninh Kiều', kind: 'school', parentCode: 'P-NK' },
      { code: 'THCS-NK', name: 'Trường THCS Ninh Kiều', kind: 'school', parentCode: 'P-NK' },
      { code: 'P-CR', name: 'Phường Cái Răng', kind: 'commune', parentCode: 'SGDDT' },
      { code: 'TH-CR', name: 'Trường Tiểu học Cái Răng', kind: 'school', parentCode: 'P-CR' },
    ],
  })
  expect(units.status).toBe(200)
  const people = await json(
    await h.api('/people', {
      body: [
        { externalId: 'CB01', fullName: 'Võ Thị Hạnh', unitCode: 'P-NK', roles: ['manager'], phone: '0901 111 222' },
        { externalId: 'GV01', fullName: 'Nguyễn Thị Ánh', unitCode: 'TH-NK', roles: ['teacher', 'focal_point'] },
        { externalId: 'GV02', fullName: 'Trần Văn Bình', unitCode: 'TH-NK', roles: ['teacher'], phone: '0912345678' },
        { externalId: 'GV03', fullName: 'Lê Thị Cúc', unitCode: 'THCS-NK', roles: ['teacher'] },
        { externalId: 'GV04', fullName: 'Phạm Minh Đức', unitCode: 'TH-CR', roles: ['teacher'] },
      ],
    }),
  )
  const id = (ext: string) => people.body.people.find((p: any) => p.externalId === ext).id as number
  return { hanh: id('CB01'), anh: id('GV01'), binh: id('GV02'), cuc: id('GV03'), duc: id('GV04') }
}

/** The names listed, in any order (people are numbered in the order they were written). */
const names = (body: any) => body.items.map((p: any) => p.fullName).sort()

describe('people: search and filters with the unit tree', () => {
  it('lists a ward with its schools, one unit alone, by role, by linked or not, and by name, phone or staff ID', async () => {
    h = await startHarness()
    const ids = await seedTree()
    await enroll(h, ids.anh, 'telegram', '5001')

    expect(names((await get('/people?unit=P-NK')).body)).toEqual(['Võ Thị Hạnh', 'Nguyễn Thị Ánh', 'Trần Văn Bình', 'Lê Thị Cúc'].sort())
    expect(names((await get('/people?unitCode=P-NK')).body)).toEqual(['Võ Thị Hạnh'].sort())
    expect((await get('/people?unit=SGDDT')).body.total).toBe(5)
    expect(names((await get('/people?unit=P-NK&role=teacher&linked=false')).body)).toEqual(['Trần Văn Bình', 'Lê Thị Cúc'].sort())
    expect(names((await get('/people?unit=P-NK&linked=true')).body)).toEqual(['Nguyễn Thị Ánh'].sort())
    // Without diacritics or case, as people type in a search box.
    expect(names((await get('/people?q=nguyen%20thi%20anh')).body)).toEqual(['Nguyễn Thị Ánh'].sort())
    expect(names((await get(`/people?q=${encodeURIComponent('CÚC')}`)).body)).toEqual(['Lê Thị Cúc'].sort())
    expect(names((await get('/people?q=0912%20345')).body)).toEqual(['Trần Văn Bình'].sort())
    expect(names((await get('/people?q=%2B84901111222')).body)).toEqual(['Võ Thị Hạnh'].sort())
    expect(names((await get('/people?q=gv04')).body)).toEqual(['Phạm Minh Đức'].sort())
    const page = (await get('/people?q=thi&limit=1&offset=1')).body
    expect(page).toMatchObject({ total: 3 })
    expect(page.items).toHaveLength(1)
    // Phone numbers are never returned, searched or not.
    expect(JSON.stringify((await get('/people?q=0912345678')).body)).not.toContain('0912345678')
    const unknown = await get('/people?unit=NOPE')
    expect(unknown.status).toBe(404)
    expect(unknown.body.error.message).toBe('Không có đơn vị mã NOPE.')
    expect((await get('/people?linked=maybe')).status).toBe(400)
  })

  it('counts who has not linked yet per ward and school, each with its subtree', async () => {
    h = await startHarness()
    const ids = await seedTree()
    await enroll(h, ids.anh, 'telegram', '5001')
    await enroll(h, ids.duc, 'zalo', 'z-duc')
    const all = (await get('/people/summary')).body
    expect(all.total).toEqual({ people: 5, linked: 2, notLinked: 3 })
    const ward = (await get('/people/summary?unit=P-NK')).body
    expect(ward.unit).toBe('P-NK')
    expect(ward.total).toEqual({ people: 4, linked: 1, notLinked: 3 })
    expect(ward.units.map((u: any) => [u.code, u.depth, u.people, u.notLinked, u.subtree.notLinked])).toEqual([
      ['P-NK', 0, 1, 1, 3],
      ['TH-NK', 1, 2, 1, 1],
      ['THCS-NK', 1, 1, 1, 1],
    ])
    expect(all.units.find((u: any) => u.code === 'SGDDT').subtree).toEqual({ people: 5, linked: 2, notLinked: 3 })
    expect((await get('/people/summary?unit=NOPE')).status).toBe(404)
  })
})

describe('units: edit, move, remove', () => {
  it('renames and moves a unit, refuses a cycle or a taken code, and moves a person', async () => {
    h = await startHarness()
    const ids = await seedTree()
    const moved = await json(await h.api('/units/TH-CR', { method: 'PATCH', body: { parentCode: 'P-NK', name: 'Trường Tiểu học Cái Răng 2', staffCount: 30 } }))
    expect(moved.status).toBe(200)
    expect(moved.body).toMatchObject({ code: 'TH-CR', name: 'Trường Tiểu học Cái Răng 2', parentCode: 'P-NK', staffCount: 30 })
    expect((await get('/people?unit=P-NK')).body.total).toBe(5)

    const cycle = await json(await h.api('/units/P-NK', { method: 'PATCH', body: { parentCode: 'TH-NK' } }))
    expect(cycle.status).toBe(422)
    expect(cycle.body.error.message).toBe('đơn vị cấp trên TH-NK sẽ tạo vòng lặp trong cây đơn vị')
    const taken = await json(await h.api('/units/TH-CR', { method: 'PATCH', body: { code: 'TH-NK' } }))
    expect(taken.status).toBe(409)
    expect(taken.body.error.message).toBe('Mã đơn vị TH-NK đã có.')
    expect((await h.api('/units/NOPE', { method: 'PATCH', body: { name: 'x' } })).status).toBe(404)
    expect((await h.api('/units/TH-CR', { method: 'PATCH', body: {} })).status).toBe(400)
    expect((await h.api('/units/TH-CR', { method: 'PATCH', body: { parentCode: 'NOPE' } })).status).toBe(422)
    const renamed = await json(await h.api('/units/TH-CR', { method: 'PATCH', body: { code: 'TH-CR2', parentCode: null } }))
    expect(renamed.body).toMatchObject({ code: 'TH-CR2', parentCode: null })

    // A person moves to another unit with PATCH /api/people/:id.
    const person = await json(await h.api(`/people/${ids.duc}`, { method: 'PATCH', body: { unitCode: 'THCS-NK' } }))
    expect(person.body).toMatchObject({ unitCode: 'THCS-NK' })
    expect(names((await get('/people?unitCode=THCS-NK')).body)).toEqual(['Lê Thị Cúc', 'Phạm Minh Đức'].sort())
  })

  it('removes only a unit nothing depends on, saying what is still there', async () => {
    h = await startHarness()
    const ids = await seedTree()
    const withChildren = await json(await h.api('/units/SGDDT', { method: 'DELETE' }))
    expect(withChildren.status).toBe(409)
    expect(withChildren.body.error.message).toBe('Đơn vị SGDDT còn 2 đơn vị cấp dưới (P-CR, P-NK); hãy chuyển hoặc xoá chúng trước.')
    const withPeople = await json(await h.api('/units/TH-CR', { method: 'DELETE' }))
    expect(withPeople.status).toBe(409)
    expect(withPeople.body.error.message).toContain('Đơn vị TH-CR còn 1 cán bộ trong danh bạ')
    // Erased people still count by their unit, so their unit stays.
    await h.api(`/people/${ids.duc}`, { method: 'DELETE' })
    expect((await h.api('/units/TH-CR', { method: 'DELETE' })).status).toBe(409)
    await h.api('/units', { body: { code: 'TH-MOI', name: 'Trường mới', kind: 'school', parentCode: 'P-CR' } })
    const removed = await json(await h.api('/units/TH-MOI', { method: 'DELETE' }))
    expect(removed).toEqual({ status: 200, body: { removed: 'TH-MOI' } })
    expect((await get('/units')).body.items.map((u: any) => u.code)).not.toContain('TH-MOI')
    expect((await h.api('/units/TH-MOI', { method: 'DELETE' })).status).toBe(404)
  })
})

describe('invite sheet (POST /api/invite-sheet?unit=)', () => {
  it('lists the unlinked people of a ward and its schools with a code, the Telegram link and the Zalo instructions, and prints a valid code again', async () => {
    h = await startHarness({ TOKEN_ENCRYPTION_KEY: KEY })
    const ids = await seedTree()
    await enroll(h, ids.anh, 'telegram', '5001')
    const first = await json(await h.api('/invite-sheet?unit=P-NK', { body: {} }))
    expect(first.status).toBe(200)
    expect(first.body).toMatchObject({ unit: { code: 'P-NK', name: 'Phường Ninh Kiều' }, reusedCodes: 0, newCodes: 3 })
    expect(first.body.people.map((p: any) => [p.unitCode, p.fullName])).toEqual([
      ['P-NK', 'Võ Thị Hạnh'],
      ['TH-NK', 'Trần Văn Bình'],
      ['THCS-NK', 'Lê Thị Cúc'],
    ])
    const binh = first.body.people.find((p: any) => p.personId === ids.binh)
    expect(binh.code).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}$/)
    expect(binh.telegramLink).toBe(`https://t.me/nq71_cantho_bot?start=${binh.code}`)
    expect(binh.telegram).toBe(`Telegram: quét mã QR hoặc mở ${binh.telegramLink}, rồi bấm Bắt đầu (Start).`)
    expect(binh.zalo).toBe(`Zalo: tìm tài khoản «Bot NQ71 Can Tho» trong Zalo, mở trò chuyện, rồi gửi một tin nhắn chỉ gồm mã ${binh.code}.`)
    expect(binh.reused).toBe(false)

    // The code is stored sealed, never as it is printed.
    const stored = (await h.db.all(sql`select code_hash, code_sealed from invites`)) as { code_hash: string; code_sealed: string }[]
    expect(JSON.stringify(stored)).not.toContain(binh.code.replace('-', ''))
    expect(stored.every((r) => r.code_sealed?.startsWith('v1.'))).toBe(true)

    // Printed again a week later: the same codes, nothing new issued.
    h.setNow(new Date(h.now().getTime() + 7 * 86_400_000))
    const again = await json(await h.api('/invite-sheet?unit=P-NK', { body: {} }))
    expect(again.body).toMatchObject({ reusedCodes: 3, newCodes: 0 })
    expect(again.body.people.map((p: any) => p.code)).toEqual(first.body.people.map((p: any) => p.code))
    expect(h.db.all(sql`select id from invites`)).toHaveLength(4)

    // The reprinted code links, and the person leaves the sheet.
    await h.say.telegram('6002', `/start ${binh.code}`)
    expect(h.texts(h.telegram, '6002')[0]).toContain('Trần Văn Bình')
    const after = await json(await h.api('/invite-sheet?unit=P-NK', { body: {} }))
    expect(after.body.people.map((p: any) => p.fullName)).toEqual(['Võ Thị Hạnh', 'Lê Thị Cúc'])

    // A code close to its end is replaced on the next sheet rather than printed again.
    h.setNow(new Date(h.now().getTime() + 20 * 86_400_000))
    const late = await json(await h.api('/invite-sheet?unit=P-NK', { body: {} }))
    expect(late.body).toMatchObject({ reusedCodes: 0, newCodes: 2 })
    expect((await h.api('/invite-sheet?unit=NOPE', { body: {} })).status).toBe(404)
  })

  it('without TOKEN_ENCRYPTION_KEY issues fresh codes each time and keeps the earlier ones valid', async () => {
    // The key is also the Zalo OA's: without it the OA is off too.
    h = await startHarness({ TOKEN_ENCRYPTION_KEY: '', ZALO_OA_APP_ID: '', ZALO_OA_APP_SECRET: '', ZALO_OA_SECRET_KEY: '' })
    await seedTree()
    const first = await json(await h.api('/invite-sheet?unit=TH-NK', { body: {} }))
    const second = await json(await h.api('/invite-sheet?unit=TH-NK', { body: {} }))
    expect(second.body).toMatchObject({ reusedCodes: 0, newCodes: 2 })
    expect(second.body.people[0].code).not.toBe(first.body.people[0].code)
    await h.say.zalo('z-1', first.body.people[0].code)
    expect(h.texts(h.zalo, 'z-1')[0]).toContain(first.body.people[0].fullName)
  })
})
