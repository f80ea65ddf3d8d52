import { describe, expect, it } from 'vitest'
import { renderBroadcast } from '#src/domain/broadcast/render.js'
import { yearStart, type BroadcastRow } from '#src/domain/broadcast/service.js'

const row = (extra: Partial<BroadcastRow> = {}): BroadcastRow => ({
  id: 7,
  kind: 'digital_product',
  title: 'Video NQ71',
  body: 'Xem video giới thiệu Nghị quyết 71.',
  imageUrl: null,
  link: 'https://example.org/v',
  audience: {},
  requireAck: true,
  scheduledAt: new Date(0),
  expandedAt: null,
  status: 'sending',
  createdBy: null,
  peopleCount: 0,
  recipientCount: 0,
  unreachableCount: 0,
  createdAt: new Date(0),
  observance: null,
  observanceYear: null,
  seriesId: null,
  productId: null,
  ...extra,
})

describe('renderBroadcast', () => {
  it('puts kind, title, body and link in order, with the read button', () => {
    const m = renderBroadcast(row(), { locale: 'vi', channel: 'telegram' })
    expect(m.text).toBe('🎬 SẢN PHẨM TRUYỀN THÔNG SỐ\nVideo NQ71\n\nXem video giới thiệu Nghị quyết 71.\n\nXem thêm: https://example.org/v')
    expect(m.choices).toEqual([{ id: 'ack:7', label: 'Đã đọc' }])
  })

  it('adds the typed-reply hint on Zalo only, and nothing to acknowledge when not asked', () => {
    expect(renderBroadcast(row(), { locale: 'en', channel: 'zalo' }).text).toContain('please reply "read" (or the number 1)')
    const plain = renderBroadcast(row({ requireAck: false, title: '' }), { locale: 'vi', channel: 'zalo' })
    expect(plain.choices).toBeUndefined()
    expect(plain.text).not.toContain('đã đọc')
    expect(plain.text.startsWith('🎬 SẢN PHẨM TRUYỀN THÔNG SỐ\n\nXem video')).toBe(true)
  })
})

describe('yearStart', () => {
  it('is local midnight on 1 January in the app time zone', () => {
    expect(yearStart(2026, 'Asia/Ho_Chi_Minh').toISOString()).toBe('2025-12-31T17:00:00.000Z')
    expect(yearStart(2026, 'UTC').toISOString()).toBe('2026-01-01T00:00:00.000Z')
  })
})
