import { describe, expect, it } from 'vitest'
import { excerpt, forwardText, isRelayed } from '#src/domain/broadcast/relay.js'
import { translator } from '#src/i18n.js'

const row = (extra: Record<string, unknown> = {}) =>
  ({
    id: 7,
    kind: 'brief',
    title: 'Quán triệt Nghị quyết 71',
    body: 'Nghị quyết 71-NQ/TW về đột phá phát triển giáo dục và đào tạo.',
    link: null,
    ...extra,
  }) as any

describe('the forward-ready copy', () => {
  const vi = translator('vi')
  it('links the public page when there is one, with a short excerpt', () => {
    const body = Array.from({ length: 30 }, (_, i) => `Đoạn ${i + 1} nói về đổi mới giáo dục.`).join('\n\n')
    const text = forwardText(row({ body, link: 'https://moet.gov.vn/nq71' }), vi, 'https://loa.cantho.edu.vn/b/7KQ2')
    expect(text).toContain('\n\nXem toàn văn: https://loa.cantho.edu.vn/b/7KQ2\n\nNguồn: Sở GD&ĐT')
    expect(text).not.toContain('moet.gov.vn')
    expect(text.length).toBeLessThan(800)
    expect(text).toContain('Đoạn 1 nói')
    expect(text).not.toContain('Đoạn 30')
  })

  it('stays under 2,000 characters even with a 2,000-character link, which is then left out', () => {
    const link = `https://example.org/${'a'.repeat(1980)}`
    const text = forwardText(row({ link, body: 'x '.repeat(3000) }), vi, undefined)
    expect(text.length).toBeLessThan(2000)
    expect(text).not.toContain('example.org')
  })

  it('cuts at a paragraph, then a line, then a word', () => {
    expect(excerpt('một hai ba', 20)).toBe('một hai ba')
    expect(excerpt('Đoạn một dài.\n\nĐoạn hai dài hơn nhiều.', 25)).toBe('Đoạn một dài. …')
    expect(excerpt('dòng một dài\ndòng hai dài hơn', 20)).toBe('dòng một dài …')
    expect(excerpt('một hai ba bốn năm sáu bảy', 15)).toBe('một hai ba …')
    expect(excerpt('x'.repeat(50), 10)).toBe(`${'x'.repeat(9)}…`)
  })
})

describe('which broadcasts are relayed', () => {
  it('those for everyone or for teachers; not those for managers or focal points only', () => {
    expect(isRelayed({ roles: [] })).toBe(true)
    expect(isRelayed({ roles: ['teacher', 'manager'] })).toBe(true)
    expect(isRelayed({ roles: ['manager'] })).toBe(false)
    expect(isRelayed({ roles: ['focal_point'] })).toBe(false)
  })
})
