import { beforeAll, describe, expect, it } from 'vitest'
import { enroll, seedDirectory, startHarness, type Harness } from '../helpers/harness.js'
import { signedInAs } from '../helpers/console.js'

let h: Harness
let ids: Awaited<ReturnType<typeof seedDirectory>>
let id: number

/**
 * The seeded directory plus a second ward (Cái Răng) whose high school has two people, none linked,
 * and a kindergarten under Ninh Kiều with one linked teacher. A brief to the whole city; Lan reads it.
 */
beforeAll(async () => {
  h = await startHarness()
  ids = await seedDirectory(h)
  await h.api('/units', {
    body: [
      { code: 'P-CAIRANG', name: 'UBND phường Cái Răng', kind: 'commune', parentCode: 'SGDDT' },
      { code: 'THPT-BHN', name: 'Trường THPT Bùi Hữu Nghĩa', kind: 'school', parentCode: 'P-CAIRANG' },
      { code: 'MN-AD', name: 'Trường Mầm non Ánh Dương', kind: 'school', parentCode: 'P-NINHKIEU' },
    ],
  })
  const added = await h.api('/people', {
    body: [
      { externalId: 'BHN1', fullName: 'Bùi Văn Một', unitCode: 'THPT-BHN', roles: ['teacher'] },
      { externalId: 'BHN2', fullName: 'Bùi Văn Hai', unitCode: 'THPT-BHN', roles: ['teacher'] },
      { externalId: 'MN1', fullName: 'Mai Thị Ngọc', unitCode: 'MN-AD', roles: ['teacher'] },
    ],
  })
  const mn1 = ((await added.json()) as { people: { id: number; externalId: string }[] }).people.find((p) => p.externalId === 'MN1')!.id
  await enroll(h, ids.lan, 'telegram', '101')
  await enroll(h, ids.minh, 'zalo', 'z102')
  await enroll(h, mn1, 'telegram', '103')
  const res = await h.api('/broadcasts', { body: { kind: 'brief', title: 'Quán triệt NQ71', body: 'Nội dung.', audience: { unitCodes: ['SGDDT'] } } })
  id = ((await res.json()) as { id: number }).id
  await h.flush()
  await h.say.press(101, `ack:${id}`)
})

/** The rows of the "Kết quả theo đơn vị" table, in order: ward headings as `# name`, units as `code: cells`. */
async function unitTable(html: string) {
  const section = /<section aria-labelledby="by-unit"[^>]*>([\s\S]*?)<\/section>/.exec(html)?.[1] ?? ''
  const rows = [...section.matchAll(/<tr([^>]*)>([\s\S]*?)<\/tr>/g)].slice(1)
  const plain = (s: string) => s.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim()
  return rows.map(([, attrs, body]) => {
    const unit = /data-unit="([^"]+)"/.exec(attrs!)?.[1]
    if (!unit) return `# ${plain(body!)}`
    const cells = [...body!.matchAll(/<td class="num"[^>]*>([\s\S]*?)<\/td>/g)].map((m) => plain(m[1]!))
    return `${unit}: ${cells.join(' | ')}`
  })
}

describe('broadcast results by unit', () => {
  it('lists every unit of the audience, 0 % included, grouped by ward (units by name), with its people, recipients and read share', async () => {
    const admin = await signedInAs(h, ids.phuc, 'admin')
    const page = await admin.get(`/admin/broadcasts/${id}`)
    expect(page.status).toBe(200)
    const html = await page.text()
    // Columns: people in the audience, recipients, sent, failed, read, read share.
    expect(await unitTable(html)).toEqual([
      '# UBND phường Cái Răng (P-CAIRANG)',
      'THPT-BHN: 2 | 0 | 0 | 0 | 0 | 0%',
      '# UBND phường Ninh Kiều (P-NINHKIEU)',
      'MN-AD: 1 | 1 | 1 | 0 | 0 | 0%',
      'THCS-ANHOA: 2 | 2 | 2 | 0 | 1 | 50%',
      '# Không thuộc phường, xã nào',
      'SGDDT: 1 | 0 | 0 | 0 | 0 | 0%',
    ])
    // A unit with people the broadcast did not reach links to who has not linked there.
    expect(html).toMatch(/<a class="hint not-reached" href="\/admin\/directory\/linking\?unit=THPT-BHN">2 người không nhận được tin: xem ai chưa liên kết<\/a>/)
    expect(html).not.toContain('linking?unit=THCS-ANHOA')
    expect(html).toContain('Người trong nhóm')
    expect(html).toContain('Tỷ lệ đã đọc')
  })
})
