import fc from 'fast-check'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { ADMIN_TOKEN, inviteCode, startWithLinkedPeople, type Harness } from '../helpers/harness.js'
import { phone } from '../helpers/phone.js'
import { signingKey } from '#src/domain/web/signed-tokens.js'
import { rememberToken } from '#src/domain/web/signed-tokens.js'
import { ConfigError, parseConfig } from '#src/config.js'

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
  return (await res.json()) as { id: number; publicUrl: string }
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

describe('the phone pages under odd input (security.md #10)', () => {
  it('never answer 5xx to generated query strings, cookies and Hosts', async () => {
    const b = await brief()
    const s = await (await h.api('/sessions', { body: { title: 'Quán triệt', kind: 'briefing', opensAt: '2026-03-16T01:30:00Z', closesAt: '2026-03-16T04:00:00Z' } })).json()
    const q = await (await h.api('/quizzes', { body: { title: 'Hiểu NQ71', closesAt: '2026-03-20T00:00:00Z', questions: [{ text: 'Năm?', options: ['2024', '2025'], correct: 1 }] } })).json()
    const paths = [b.publicUrl, s.publicUrl, q.publicUrl].map((u) => pathOf(u))
    const odd = fc.oneof(fc.string(), fc.constantFrom('throttled', 'invalid', 'forgotten', 'not_open', 'closed', 'checked_in', 'not_for_you', '1e20', '-1e300', '99999999999999', 'NaN', '0', '-1'), fc.integer().map(String))
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...paths.flatMap((p) => [p, `${p}/qr.svg`])),
        fc.dictionary(fc.constantFrom('e', 'retry', 'r', 'fb', 'p', 'lang'), odd, { maxKeys: 4 }),
        fc.record({ loa_who: odd, loa_dev: odd }, { requiredKeys: [] }),
        // A letter first: an all-digit host such as "08" is no URL at all (a bad IPv4), refused before any server sees it.
        fc.oneof(fc.constant('localhost'), fc.stringMatching(/^[a-z][a-z0-9]{0,2999}$/)),
        async (path, query, cookies, host) => {
          const qs = new URLSearchParams(query).toString()
          const cookie = Object.entries(cookies).map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('; ')
          const res = await h.app.request(`http://${host}${path}${qs ? `?${qs}` : ''}`, { headers: cookie ? { cookie } : {} })
          expect(res.status, `${host.slice(0, 40)} ${path}?${qs} ${cookie}`).toBeLessThan(500)
        },
      ),
      { numRuns: 300 },
    )
    expect(h.logs.filter((l) => l.level === 'error')).toEqual([])
  }, 120_000)
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

  it('refuses a PUBLIC_HOSTS or WEB_LINK_TTL_DAYS that is not one, naming it', () => {
    expect(parseConfig({ PUBLIC_HOSTS: ' Loa.Local:8787 ,10.0.0.5' }).publicHosts).toEqual(['loa.local:8787', '10.0.0.5'])
    expect(parseConfig({}).webLinkTtlDays).toBe(90)
    for (const env of [{ PUBLIC_HOSTS: 'https://loa.local/' }, { PUBLIC_HOSTS: 'a b' }, { WEB_LINK_TTL_DAYS: '0' }, { WEB_LINK_TTL_DAYS: '1.5' }]) {
      expect(() => parseConfig(env)).toThrow(ConfigError)
      expect(() => parseConfig(env)).toThrow(Object.keys(env)[0])
    }
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

describe('check-in codes in chat (security.md #15)', () => {
  const session = async (title: string, opensAt: string, code: string) => {
    const res = await h.api('/sessions', { body: { title, kind: 'briefing', opensAt, closesAt: '2026-04-30T04:00:00Z', code } })
    expect(res.status).toBe(201)
    return (await res.json()) as { id: number; code: string }
  }

  it('answers a chat past 5 wrong codes an hour with a wait, checks nothing meanwhile, and never names a session not open yet', async () => {
    const open = await session('Quán triệt NQ71', '2026-03-16T01:30:00Z', 'NQ71-4821')
    await session('Họp kín tháng 4', '2026-04-01T01:00:00Z', 'NQ71-5000')
    // Hitting the code of a session not open yet tells the guesser when, not what.
    await h.say.zalo(ZL, 'diem danh NQ71-5000')
    expect(h.lastText(h.zalo, ZL)).toContain('Mã này chưa mở điểm danh. Điểm danh mở lúc 08:00 01/04/2026')
    expect(h.lastText(h.zalo, ZL)).not.toContain('Họp kín')
    for (let n = 0; n < 5; n++) {
      await h.say.zalo(ZL, `diem danh NQ71-${1000 + n}`)
      expect(h.lastText(h.zalo, ZL)).toContain('Không tìm thấy buổi nào có mã')
    }
    // Now even the right code, and the not-open one, get only the wait.
    for (const code of [open.code, 'NQ71-5000']) {
      await h.say.zalo(ZL, `diem danh ${code}`)
      const text = h.lastText(h.zalo, ZL)
      expect(text).toContain('Bạn đã gửi sai mã điểm danh quá nhiều lần. Vui lòng chờ đến 10:00 16/03/2026')
      expect(text).not.toContain('Họp kín')
    }
    expect(await (await h.api(`/sessions/${open.id}/attendance`)).json()).toMatchObject({ attended: 0 })
    // Another chat is not held up.
    await h.say.telegram(TG, `/diemdanh ${open.code}`)
    expect(h.lastText(h.telegram, TG)).toContain('Đã điểm danh: Quán triệt NQ71')
    // An hour after the first wrong code, the chat checks in.
    h.setNow('2026-03-16T03:00:01Z')
    await h.say.zalo(ZL, `diem danh ${open.code}`)
    expect(h.lastText(h.zalo, ZL)).toContain('Đã điểm danh: Quán triệt NQ71')
    expect(await (await h.api(`/sessions/${open.id}/attendance`)).json()).toMatchObject({ attended: 2 })
  })
})

describe('identification limits on the phone page (security.md #5)', () => {
  /**
   * One POST to /p/identify as a script sends it: a form token of its own choosing each time (the
   * double-submit check accepts any), no other cookie unless given. The answer's redirect says
   * what happened: `e=invalid`, `e=throttled&retry=<s>`, or the page itself (identified).
   */
  async function identify(ip: string, code: string, cookies: Record<string, string> = {}) {
    const token = `${'T'.repeat(24)}${String(Math.random()).slice(2, 10).padEnd(8, '0')}`
    const cookie = Object.entries({ loa_csrf: token, ...cookies }).map(([k, v]) => `${k}=${v}`).join('; ')
    const res = await h.app.request(
      '/p/identify',
      {
        method: 'POST',
        body: new URLSearchParams({ _csrf: token, code, next: '/b/ABCDEF' }).toString(),
        headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'http://localhost', cookie },
      },
      { incoming: { socket: { remoteAddress: ip } } },
    )
    expect(res.status).toBe(303)
    const location = new URL(res.headers.get('location')!, 'http://localhost')
    const retry = location.searchParams.get('retry')
    const setCookies = res.headers.getSetCookie().join('\n')
    return {
      status: location.searchParams.get('e') ?? 'identified',
      retryAt: retry ? new Date(Number(retry) * 1000) : undefined,
      device: /loa_dev=([^;]+)/.exec(setCookies)?.[1],
      who: /loa_who=[^;]+/.test(setCookies),
    }
  }

  it('counts a phone by the device id the server issued, not by a form token it picks', async () => {
    const first = await identify('198.51.100.20', 'ZZZZ-ZZZZ')
    expect(first.status).toBe('invalid')
    expect(first.device).toMatch(/^[A-Za-z0-9]{22}\.[A-Za-z0-9_-]{22}$/)
    // Four more wrong codes with that id, each with a new form token: the phone has to wait.
    for (let i = 0; i < 4; i++) expect((await identify('198.51.100.20', 'ZZZZ-ZZZZ', { loa_dev: first.device! })).status).toBe('invalid')
    const held = await identify('198.51.100.20', await inviteCode(h, ids.lan), { loa_dev: first.device! })
    expect(held).toMatchObject({ status: 'throttled', who: false })
    // A made-up id is not taken: the phone is given a real one instead.
    const forged = await identify('198.51.100.21', 'ZZZZ-ZZZZ', { loa_dev: `${'A'.repeat(22)}.${'B'.repeat(22)}` })
    expect(forged.device).toBeDefined()
    expect(forged.device!.startsWith('A'.repeat(22))).toBe(false)
  })

  it("slows a guesser at one address with a growing wait, and lets a reader's right code from the same address through", async () => {
    const code = await inviteCode(h, ids.lan)
    const ip = '198.51.100.30'
    const start = new Date('2026-03-16T02:00:00Z').getTime()
    let now = start
    const checkedPerHour = [0, 0, 0]
    let longestWait = 0
    let readerWait: number | undefined
    // Three hours of a script that drops its cookies and sends a wrong code the moment it may.
    while (now < start + 3 * 3600_000) {
      h.setNow(new Date(now))
      const r = await identify(ip, 'ZZZZ-ZZZZ')
      if (r.status === 'invalid') {
        checkedPerHour[Math.floor((now - start) / 3600_000)]!++
        continue
      }
      expect(r.status).toBe('throttled')
      const wait = r.retryAt!.getTime() - now
      longestWait = Math.max(longestWait, wait)
      // Half way through, a teacher on the same Wi-Fi types her right code and waits as told.
      if (readerWait === undefined && now - start > 5400_000) {
        const reader = await identify(ip, code)
        expect(reader.status).toBe('throttled')
        readerWait = reader.retryAt!.getTime() - now
        h.setNow(reader.retryAt!)
        expect(await identify(ip, code)).toMatchObject({ status: 'identified', who: true })
      }
      now = r.retryAt!.getTime()
    }
    console.log(
      `identify limits, one address, a script sending wrong codes as fast as answered: ${checkedPerHour.join(', ')} codes checked in hours 1, 2, 3;` +
        ` longest wait ${longestWait / 1000} s; the reader's right code waited ${readerWait! / 1000} s`,
    )
    expect(checkedPerHour[0]).toBeLessThanOrEqual(55)
    expect(checkedPerHour[1]).toBeLessThanOrEqual(15)
    expect(checkedPerHour[2]).toBeLessThanOrEqual(15)
    expect(longestWait).toBeLessThanOrEqual(256_000)
    expect(readerWait).toBeLessThanOrEqual(256_000)
    // Another address is not held up at all.
    expect((await identify('198.51.100.31', code)).status).toBe('identified')
  })
})

describe('personal links and remembered phones lapse (security.md #13)', () => {
  /** The personal link the brief carried to Lan's Telegram chat, as a path. */
  async function lansLink() {
    await h.close()
    await start({ PUBLIC_URL: 'https://loa.example.vn' })
    const b = await brief()
    await h.flush()
    const m = /https:\/\/loa\.example\.vn(\/b\/[A-Z2-9]{6}\?p=[^\s]+)/.exec(h.lastText(h.telegram, TG))
    expect(m).not.toBeNull()
    return { b, path: m![1]! }
  }
  /** `<person>.<tag>`, the tag the HMAC of `link:<slug>:<person>` under the server's key, as links were made before. */
  async function legacyLink(path: string) {
    const [, slugPath, slug, person] = /^(\/b\/([A-Z2-9]{6}))\?p=(\d+)\./.exec(path)!
    const sig = new Uint8Array(await crypto.subtle.sign('HMAC', await signingKey(h.db, undefined), new TextEncoder().encode(`link:${slug}:${person}`)))
    const tag = btoa(String.fromCharCode(...sig.slice(0, 16))).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
    return `${slugPath}?p=${person}.${tag}`
  }
  const names = async (path: string, name = 'Nguyễn Thị Lan') => (await phone(h).get(path)).html.includes(`Bạn: ${name}`)

  it('stops a link once the chat it was sent to is unlinked, and after WEB_LINK_TTL_DAYS', async () => {
    const { path } = await lansLink()
    expect(await names(path)).toBe(true)
    h.setNow('2026-06-13T02:00:00Z') // 89 days on
    expect(await names(path)).toBe(true)
    h.setNow('2026-06-14T02:00:01Z') // 90 days on
    expect(await names(path)).toBe(false)
    h.setNow('2026-03-17T02:00:00Z')
    const links = (await (await h.api(`/people/${ids.lan}/links`)).json()) as { items: { id: number; channel: string }[] }
    const tg = links.items.find((l) => l.channel === 'telegram')!
    expect((await h.api(`/people/${ids.lan}/links/${tg.id}`, { method: 'DELETE' })).status).toBe(200)
    expect(await names(path)).toBe(false)
    // Linking the chat again later does not bring back what was sent before.
    await h.say.telegram(TG, `/start ${await inviteCode(h, ids.lan)}`)
    expect(await names(path)).toBe(false)
    // A link of the older form (no issue time), signed as the server signed it then, no longer works.
    expect(await names(await legacyLink(path))).toBe(false)
  })

  it('stops a link when its person is erased', async () => {
    const { path } = await lansLink()
    expect(await names(path)).toBe(true)
    expect((await h.api(`/people/${ids.lan}`, { method: 'DELETE' })).status).toBe(200)
    expect(await names(path)).toBe(false)
  })

  it('forgets a remembered phone WEB_LINK_TTL_DAYS after it identified, however the cookie was kept', async () => {
    await h.close()
    await start({ WEB_LINK_TTL_DAYS: '30' })
    const b = await brief()
    const p = phone(h)
    const who = await p.submit((await p.get(pathOf(b.publicUrl))).html, '/p/identify', { code: await inviteCode(h, ids.minh) })
    expect(who.html).toContain('Bạn: Trần Văn Minh')
    h.setNow('2026-04-15T01:59:59Z')
    expect((await p.get(pathOf(b.publicUrl))).html).toContain('Bạn: Trần Văn Minh')
    h.setNow('2026-04-15T02:00:00Z')
    expect((await p.get(pathOf(b.publicUrl))).html).not.toContain('Trần Văn Minh')
    // A cookie signed with the server's own key three years ago, as the server would have then.
    const old = await rememberToken(await signingKey(h.db, undefined), ids.minh, new Date('2023-04-15T02:00:00Z'))
    const q = phone(h)
    q.jar.set('loa_who', old)
    expect((await q.get(pathOf(b.publicUrl))).html).not.toContain('Trần Văn Minh')
  })
})
