import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { ADMIN_TOKEN, inviteCode, startWithLinkedPeople, type Harness } from '../helpers/harness.js'
import { phone } from '../helpers/phone.js'

/** Issue 18: the phone pages' links, QR codes, limits and check-in codes (security.md #5, #10, #13, #15, #17). */
let h: Harness
let ids: { lan: number; minh: number; phuc: number }
const TG = '6200000011'
const ZL = 'zl-minh-12'

async function start(env: Record<string, string> = {}) {
  ;({ h, ids } = await startWithLinkedPeople({ telegram: TG, zalo: ZL }, env))
}
beforeEach(() => start())
afterEach(() => h.close())

async function brief() {
  const res = await h.api('/broadcasts', {
    body: { kind: 'brief', title: 'Bản tin số 9', body: 'Nội dung.', requireAck: true, audience: { unitCodes: ['THCS-ANHOA'] } },
  })
  expect(res.status).toBe(201)
  return (await res.json()) as { id: number; publicUrl: string | null }
}
const pathOf = (url: string | null) => new URL(url!).pathname

describe('the throttled notice (security.md #10, first row)', () => {
  it('never answers 500 for a hand-edited retry time, and shows a real one as a wait', async () => {
    const b = await brief()
    const p = phone(h)
    for (const retry of ['abc', '1e20', '-1e300', '99999999999999', '', '1773626400.5']) {
      const page = await p.get(`${pathOf(b.publicUrl)}?e=throttled&retry=${encodeURIComponent(retry)}`)
      expect(page.status, retry).toBe(200)
      expect(page.html).toContain('Nhập sai quá nhiều lần. Vui lòng thử lại sau.')
    }
    expect(h.logs.filter((l) => l.level === 'error')).toEqual([])
    const soon = Math.floor(new Date('2026-03-16T02:00:00Z').getTime() / 1000) + 8
    expect((await p.get(`${pathOf(b.publicUrl)}?e=throttled&retry=${soon}`)).html).toContain('Vui lòng chờ 8 giây rồi nhập lại')
  })
})

describe('public links and QR codes without PUBLIC_URL (security.md #17)', () => {
  it('makes them only on an allowed host, and says why on any other, even a 3,000-character one', async () => {
    const b = await brief()
    const qr = `${pathOf(b.publicUrl)}/qr.svg`
    expect((await h.app.request(qr)).status).toBe(200)
    for (const host of ['evil.example', 'x'.repeat(3000) + '.example']) {
      const res = await h.app.request(`http://${host}${qr}`)
      expect(res.status).toBe(421)
      expect(res.headers.get('cache-control')).not.toContain('public')
      const html = await res.text()
      expect(html).toContain('không phải địa chỉ công khai')
      expect(html).not.toContain('<svg')
    }
    expect((await h.app.request(`http://evil.example${pathOf(b.publicUrl)}/qr.png`)).status).toBe(421)
    // The API does not hand out a link on the forged host either.
    const detail = await (await h.app.request(`http://evil.example/api/broadcasts/${b.id}`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } })).json()
    expect(detail.publicUrl).toBeNull()
    expect(h.logs.filter((l) => l.level === 'error')).toEqual([])
  })

  it('takes the hosts of PUBLIC_HOSTS, and PUBLIC_URL over any Host', async () => {
    await h.close()
    await start({ PUBLIC_HOSTS: 'loa.local:8787, 10.0.0.5' })
    const b = await brief()
    // The API was asked on localhost, which is no longer allowed: no link in its answer.
    expect(b.publicUrl).toBeNull()
    const api = (host: string) => h.app.request(`http://${host}/api/broadcasts/${b.id}`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } })
    const detail = await (await api('loa.local:8787')).json()
    expect(detail.publicUrl).toMatch(/^http:\/\/loa\.local:8787\/b\/[A-Z2-9]{6}$/)
    const qr = `${pathOf(detail.publicUrl)}/qr.svg`
    expect((await h.app.request(`http://loa.local:8787${qr}`)).status).toBe(200)
    expect((await h.app.request(`http://10.0.0.5:9000${qr}`)).status).toBe(200)
    expect((await h.app.request(`http://loa.local:9999${qr}`)).status).toBe(421)
    expect((await h.app.request(`http://localhost${qr}`)).status).toBe(421)
    await h.close()
    await start({ PUBLIC_URL: 'https://loa.example.vn' })
    const b2 = await brief()
    expect(b2.publicUrl).toMatch(/^https:\/\/loa\.example\.vn\/b\//)
    const res = await h.app.request(`http://${'x'.repeat(3000)}.example${pathOf(b2.publicUrl)}/qr.svg`)
    expect(res.status).toBe(200)
  })
})
