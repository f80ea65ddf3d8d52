import { afterEach, describe, expect, it } from 'vitest'
import { consoleClient } from '../helpers/console.js'
import { ADMIN_TOKEN, startHarness, type Harness } from '../helpers/harness.js'

/**
 * Whose word the server takes for the client's address and scheme (TRUST_PROXY): on Node the
 * socket's, unless the socket is a proxy TRUST_PROXY names. The sign-in limits, the audit log and
 * the console sessions count that address; cookies are Secure when the browser used https.
 */
let h: Harness
afterEach(() => h.close())

const forged = (i: number) => ({ 'cf-connecting-ip': `203.0.113.${i}`, 'x-forwarded-for': `198.51.100.${i}`, 'x-real-ip': `192.0.2.${i}` })

/** The addresses the audit log recorded, oldest first. */
async function auditedIps() {
  const page = (await (await h.api('/audit?limit=200')).json()) as { items: { ip: string | null; action: string }[] }
  return page.items.map((i) => i.ip).reverse()
}

const setCookies = (res: Response) => res.headers.getSetCookie()
const cookieLine = (res: Response, name: string) => setCookies(res).find((l) => l.startsWith(`${name}=`)) ?? ''

describe('the client address on Node', () => {
  it('is the socket: forged CF-Connecting-IP, X-Forwarded-For or X-Real-IP do not move the sign-in limit', async () => {
    h = await startHarness()
    const statuses: number[] = []
    for (let i = 0; i < 12; i++) {
      const browser = consoleClient(h, { socket: '127.0.0.31', headers: forged(i) })
      statuses.push((await browser.post('/admin/login/code', { who: `09000000${String(i).padStart(2, '0')}` })).status)
    }
    expect(statuses).toEqual([303, 303, 303, 303, 303, 303, 303, 303, 303, 303, 429, 429])
    // Another address is not locked out by them.
    expect((await consoleClient(h, { socket: '127.0.0.32' }).post('/admin/login/code', { who: '0900000099' })).status).toBe(303)
  })

  it('is the socket for wrong admin tokens: a forger cannot lock out the office address, and the audit log shows who sent them', async () => {
    h = await startHarness()
    const statuses: number[] = []
    for (let i = 0; i < 21; i++) {
      const attacker = consoleClient(h, { socket: '127.0.0.51', headers: { 'cf-connecting-ip': '127.0.0.50' } })
      statuses.push((await attacker.post('/admin/login', { token: `wrong-${i}` })).status)
    }
    expect(statuses.slice(0, 20).every((s) => s === 401)).toBe(true)
    expect(statuses[20]).toBe(429)
    const admin = consoleClient(h, { socket: '127.0.0.50' })
    expect((await admin.post('/admin/login', { token: ADMIN_TOKEN })).status).toBe(303)
    const ips = await auditedIps()
    expect(ips.slice(0, 21).every((ip) => ip === '127.0.0.51')).toBe(true)
    expect(ips.at(-1)).toBe('127.0.0.50')
  })

  it('behind proxies TRUST_PROXY names, is the rightmost X-Forwarded-For hop that is not one of them', async () => {
    h = await startHarness({ TRUST_PROXY: '127.0.0.1, 10.0.0.0/8, fd00::/8' })
    // Through the proxies: the client said 198.51.100.9, the edge proxy saw 203.0.113.5.
    const viaProxy = { 'x-forwarded-for': '198.51.100.9, 203.0.113.5, 10.1.2.3', 'cf-connecting-ip': '192.0.2.77' }
    await consoleClient(h, { socket: '127.0.0.1', headers: viaProxy }).post('/admin/login', { token: 'wrong' })
    // Straight to the server from an address that is not a proxy: its header counts for nothing.
    await consoleClient(h, { socket: '192.0.2.1', headers: viaProxy }).post('/admin/login', { token: 'wrong' })
    // A trusted proxy that names no client, or junk: the proxy's own address.
    await consoleClient(h, { socket: '::ffff:10.0.0.7', headers: { 'x-forwarded-for': 'nonsense' } }).post('/admin/login', { token: 'wrong' })
    // IPv6 proxies and clients alike.
    await consoleClient(h, { socket: 'fd12::1', headers: { 'x-forwarded-for': '2001:db8::5, fd00::2' } }).post('/admin/login', { token: 'wrong' })
    expect(await auditedIps()).toEqual(['203.0.113.5', '192.0.2.1', '::ffff:10.0.0.7', '2001:db8::5'])
  })

  it('with TRUST_PROXY=cloudflare, is CF-Connecting-IP', async () => {
    h = await startHarness({ TRUST_PROXY: 'cloudflare' })
    await consoleClient(h, { socket: '172.70.1.1', headers: { 'cf-connecting-ip': '203.0.113.44' } }).post('/admin/login', { token: 'wrong' })
    expect(await auditedIps()).toEqual(['203.0.113.44'])
  })
})

describe('cookies and the Origin check behind a TLS proxy', () => {
  it('sets every cookie Secure when a trusted proxy says the browser used https, and not when anyone else says so', async () => {
    h = await startHarness({ TRUST_PROXY: '127.0.0.1' })
    const https = { 'x-forwarded-proto': 'https' }
    const proxied = consoleClient(h, { socket: '127.0.0.1', headers: https, origin: 'https://localhost' })
    expect(cookieLine(await proxied.get('/admin/login'), 'loa_csrf')).toMatch(/; Secure/)
    expect(cookieLine(await proxied.post('/admin/login', { token: ADMIN_TOKEN }), 'loa_console')).toMatch(/; Secure/)
    const ticket = await consoleClient(h, { socket: '127.0.0.1', headers: https, origin: 'https://localhost' }).post('/admin/login/code', { who: '0900000001' })
    expect(cookieLine(ticket, 'loa_signin')).toMatch(/; Secure/)

    const direct = consoleClient(h, { socket: '192.0.2.1', headers: https })
    expect(cookieLine(await direct.get('/admin/login'), 'loa_csrf')).not.toMatch(/Secure/)
    expect(cookieLine(await direct.post('/admin/login', { token: ADMIN_TOKEN }), 'loa_console')).not.toMatch(/Secure/)
  })

  it('sets cookies Secure whenever PUBLIC_URL is set (it is https)', async () => {
    h = await startHarness({ PUBLIC_URL: 'https://loa.example.gov.vn' })
    const browser = consoleClient(h, { socket: '127.0.0.1' })
    expect(cookieLine(await browser.get('/admin/login'), 'loa_csrf')).toMatch(/; Secure/)
    expect(cookieLine(await browser.post('/admin/login', { token: ADMIN_TOKEN }), 'loa_console')).toMatch(/; Secure/)
  })

  it("accepts a form from PUBLIC_URL's origin through a trusted proxy without Sec-Fetch-Site, and still refuses a foreign one", async () => {
    h = await startHarness({ PUBLIC_URL: 'https://loa.example.gov.vn', TRUST_PROXY: '127.0.0.1' })
    const https = { 'x-forwarded-proto': 'https', host: 'loa.example.gov.vn' }
    const browser = consoleClient(h, { socket: '127.0.0.1', headers: https, origin: 'https://loa.example.gov.vn' })
    const signedIn = await browser.post('/admin/login', { token: ADMIN_TOKEN })
    expect(signedIn.status).toBe(303)
    expect(signedIn.headers.get('location')).toBe('/admin')

    const foreign = consoleClient(h, { socket: '127.0.0.1', headers: https, origin: 'https://evil.example' })
    const refused = await foreign.post('/admin/login', { token: ADMIN_TOKEN })
    expect(refused.status).toBe(403)
    expect(await foreign.text(refused)).toContain('Biểu mẫu đã hết hạn hoặc không gửi từ trang này')
    expect(setCookies(refused).some((l) => l.startsWith('loa_console='))).toBe(false)
  })
})
