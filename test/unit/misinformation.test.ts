import { createHash } from 'node:crypto'
import { afterEach, describe, expect, it } from 'vitest'
import { openSqlite } from '#db/sqlite.js'
import type { FetchedImage, InboundImage } from '#src/core/events.js'
import { afterTinSai } from '#handlers/misinfo.js'
import { CODE_ALPHABET, newCaseCode, parseCaseCode } from '#src/domain/misinformation/codes.js'
import { fileReport, keepImage, MAX_IMAGE_BYTES } from '#src/domain/misinformation/intake.js'
import { extractLinks, normaliseLink } from '#src/domain/misinformation/links.js'
import { foldForMatch, textSimilarity } from '#src/domain/misinformation/similarity.js'
import { allowedTransitions, canTransition, claimStatuses } from '#src/domain/misinformation/states.js'
import { memoryMedia } from '../helpers/media.js'

describe('links in a report (src/domain/misinformation/links.ts)', () => {
  it('puts two shares of one page in one canonical form', () => {
    const canonical = 'https://vnexpress.net/tin-don-4801.html?id=7&page=2'
    for (const shared of [
      'https://vnexpress.net/tin-don-4801.html?page=2&id=7',
      'HTTP://WWW.VnExpress.NET/tin-don-4801.html/?id=7&utm_source=fb&utm_medium=social&page=2&fbclid=IwAR0x#comments',
      'vnexpress.net/tin-don-4801.html?gclid=1&id=7&page=2&zarsrc=31',
      'https://vnexpress.net:443/tin-don-4801.html?id=7&page=2',
    ])
      expect(normaliseLink(shared), shared).toBe(canonical)
  })

  it('refuses what is not an http(s) page', () => {
    for (const bad of ['javascript:alert(1)', 'ftp://example.com/x', 'file:///etc/passwd', 'mailto:a@b.vn', 'localhost', '', 'x'.repeat(2100)]) expect(normaliseLink(bad), bad).toBeNull()
  })

  it('finds links with or without a scheme in Vietnamese text, once each, and no e-mail address', () => {
    expect(extractLinks('Xem tại facebook.com/truong.abc/posts/1?mibextid=x và https://facebook.com/truong.abc/posts/1 hoặc gửi thư cho a@b.vn')).toEqual([
      'https://facebook.com/truong.abc/posts/1',
    ])
    expect(extractLinks('Không có đường link nào ở đây.')).toEqual([])
  })
})

describe('case codes', () => {
  it('are TS- and four characters without 0/O, 1/I', () => {
    for (let i = 0; i < 200; i++) expect(newCaseCode()).toMatch(/^TS-[2-9A-HJKMNP-TV-Z]{4}$/)
    expect(CODE_ALPHABET).not.toMatch(/[01OIL]/)
  })

  it('are read back from what people type', () => {
    expect(parseCaseCode('ts-7kq2')).toBe('TS-7KQ2')
    expect(parseCaseCode('TS 7KQ2')).toBe('TS-7KQ2')
    expect(parseCaseCode('xem giúp ts7kq2 với')).toBe('TS-7KQ2')
    expect(parseCaseCode('TS-10I0')).toBeNull()
    expect(parseCaseCode('tin sai')).toBeNull()
  })
})

describe('the claim state graph', () => {
  it('follows received → checking → routed → answered → corrected | not_false → closed', () => {
    expect(canTransition('received', 'checking')).toBe(true)
    expect(canTransition('checking', 'routed')).toBe(true)
    expect(canTransition('routed', 'answered')).toBe(true)
    expect(canTransition('answered', 'not_false')).toBe(true)
    expect(canTransition('corrected', 'closed')).toBe(true)
    expect(canTransition('not_false', 'closed')).toBe(true)
    expect(canTransition('closed', 'checking')).toBe(true)
  })

  it('refuses skipping steps, going back from a conclusion, and reaching `corrected` without a correction', () => {
    expect(canTransition('received', 'answered')).toBe(false)
    expect(canTransition('received', 'not_false')).toBe(false)
    expect(canTransition('answered', 'routed')).toBe(false)
    expect(canTransition('closed', 'routed')).toBe(false)
    for (const from of claimStatuses) expect(canTransition(from, 'corrected')).toBe(false)
    for (const from of claimStatuses) expect(allowedTransitions[from]).not.toContain(from)
  })
})

describe('similar text', () => {
  it('matches a copy with other marks and punctuation, not another rumour on the same subject', () => {
    const a = foldForMatch('Sở GD&ĐT Cần Thơ cho học sinh toàn thành phố nghỉ học từ thứ hai tuần sau vì dịch cúm')
    expect(textSimilarity(a, foldForMatch('SO GD&DT CAN THO cho hoc sinh toan thanh pho nghi hoc tu thu hai tuan sau, vi dich cum!!!'))).toBe(1)
    expect(textSimilarity(a, foldForMatch('Sở GD&ĐT Cần Thơ tăng học phí toàn thành phố từ tháng sau'))).toBeLessThan(0.6)
    expect(textSimilarity(foldForMatch('tin sai'), foldForMatch('tin sai'))).toBe(0)
    // Forwarded with a remark added: still the same rumour.
    expect(textSimilarity(foldForMatch('Có thật không mọi người ơi? ' + 'Sở GD&ĐT Cần Thơ cho học sinh toàn thành phố nghỉ học từ thứ hai tuần sau vì dịch cúm, phụ huynh chú ý'), a)).toBeGreaterThanOrEqual(0.6)
  })

  it('reads "tin sai" in any case, with or without marks', () => {
    expect(afterTinSai('TIN SAI')).toBe('')
    expect(afterTinSai('Tin sai: học sinh nghỉ học')).toBe('học sinh nghỉ học')
    expect(afterTinSai('tinsai - abc')).toBe('abc')
    expect(afterTinSai('tín sái abc')).toBe('abc')
    expect(afterTinSai('Tin tức mới')).toBeNull()
  })
})

describe('a photo with a report', () => {
  let close = () => {}
  afterEach(() => close())

  /** An in-memory media store, content-addressed by SHA-256 as the contract says. */
  function memoryStore() {
    const store = memoryMedia()
    return { store, files: store.stored }
  }
  const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3])
  const adapter = (bytes: Uint8Array) => ({
    fetchImage: async (_: InboundImage, max: number): Promise<FetchedImage | null> => (bytes.byteLength > max ? null : { bytes, mime: 'image/png' }),
  })

  it('is kept once by its SHA-256, and the same screenshot from two people joins one claim', async () => {
    const sqlite = openSqlite(':memory:')
    close = sqlite.close
    const { store, files } = memoryStore()
    const first = await keepImage(store, adapter(png), { ref: 'file-1' })
    const again = await keepImage(store, adapter(png), { ref: 'file-2' })
    expect(first).toEqual({ sha256: createHash('sha256').update(png).digest('hex'), mime: 'image/png', size: png.byteLength })
    expect(again).toEqual(first)
    expect(files.size).toBe(1)
    const now = new Date('2026-03-16T02:00:00Z')
    const a = await fileReport(sqlite.db, { channel: 'telegram', text: '', reporter: { kind: 'none' }, chatId: '1', image: first, updateId: 'u1', now })
    const b = await fileReport(sqlite.db, { channel: 'zalo_oa', text: 'TIN SAI', reporter: { kind: 'none' }, chatId: '2', image: again, updateId: 'u2', now })
    expect(a.joined).toBe(false)
    expect(b).toMatchObject({ joined: true, duplicate: false, claim: { id: a.claim.id, reportCount: 2 } })
    expect(b.report).toMatchObject({ imageSha256: first!.sha256, imageMime: 'image/png', imageSize: png.byteLength })
    const redelivered = await fileReport(sqlite.db, { channel: 'zalo_oa', text: 'TIN SAI', reporter: { kind: 'none' }, chatId: '2', image: again, updateId: 'u2', now })
    expect(redelivered).toMatchObject({ duplicate: true, report: { id: b.report.id }, claim: { reportCount: 2 } })
  })

  it('is not kept over 5 MB, nor where the runtime keeps no images (Workers), nor when the adapter cannot fetch', async () => {
    const { store } = memoryStore()
    expect(await keepImage(store, adapter(new Uint8Array(MAX_IMAGE_BYTES + 1)), { ref: 'big' })).toBeNull()
    expect(await keepImage(store, adapter(png), { ref: 'announced-big', size: MAX_IMAGE_BYTES + 1 })).toBeNull()
    expect(await keepImage(undefined, adapter(png), { ref: 'x' })).toBeNull()
    expect(await keepImage(store, {}, { ref: 'x' })).toBeNull()
  })
})
