import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { clip, TIMEOUT_MS, useFuzzServer } from '../helpers/fuzz.js'
import {
  consoleAs,
  consolePath,
  expectVietnamesePage,
  fuzzConsole,
  headerValue,
  PAGE_RUNS,
  pageValue,
  publicItems,
  queryString,
} from '../helpers/fuzz-pages.js'

/**
 * Generated requests at the pages (fuzz.test.ts covers the webhooks and the API): query strings at
 * the console signed in as admin and as viewer, query strings and form fields at the phone pages
 * anonymously, and junk headers (cookies, X-Forwarded-For/Proto, CF-Connecting-IP, Host, Origin,
 * Accept-Language) everywhere. No 5xx, and every error a page in Vietnamese. Left out until their
 * fix lands (another part of the security round): `?retry=` on the phone pages, the QR images.
 */
const h = useFuzzServer({ TRUST_PROXY: '127.0.0.1, ::1' })

describe('fuzzing the console pages', () => {
  it.each(['admin', 'viewer'] as const)(`GET as %s: ${PAGE_RUNS * 6} generated queries over the pages, never a 5xx`, async (role) => {
    const seen = await fuzzConsole(h(), role)
    // Signed in: most pages answer (a few redirect or refuse the viewer).
    expect(seen.get(200) ?? 0).toBeGreaterThan(PAGE_RUNS)
  }, TIMEOUT_MS)
})

/** What a phone's browser posts: its CSRF token (or a wrong one) and the forms' fields. */
const formFields = fc.record(
  {
    phone: pageValue,
    code: pageValue,
    remember: pageValue,
    p: pageValue,
    choice: pageValue,
    answer: pageValue,
    question: pageValue,
    next: pageValue,
    ward: pageValue,
    consent: fc.oneof(pageValue, fc.constant('on')),
  },
  { requiredKeys: [] },
)

describe('fuzzing the phone pages anonymously', () => {
  it(`GET and POST: ${PAGE_RUNS} generated queries and forms, never a 5xx`, async () => {
    const pages = await publicItems(h())
    const forms = ['/p/identify', '/p/forget', ...pages.filter((p) => p !== '/theo-doi').map((p) => (p.startsWith('/b/') ? `${p}/ack` : p.startsWith('/s/') ? `${p}/checkin` : `${p}/answer`)), `${pages[1]}/start`, '/theo-doi', '/theo-doi/xoa']
    const env = { incoming: { socket: { remoteAddress: '203.0.113.9' } } }
    await fc.assert(
      fc.asyncProperty(fc.boolean(), fc.constantFrom(...pages), fc.constantFrom(...forms), queryString, formFields, fc.boolean(), async (get, page, form, q, fields, rightToken) => {
        if (get) {
          const res = await h().app.request(`${page}?${q}`, {}, env)
          return expectVietnamesePage(res, () => `GET ${page}?${clip(q)}`)
        }
        const token = 'A'.repeat(32)
        const body = new URLSearchParams({ ...fields, _csrf: rightToken ? token : 'B'.repeat(32) })
        const res = await h().app.request(
          `${form}?${q}`,
          { method: 'POST', headers: { origin: 'http://localhost', 'content-type': 'application/x-www-form-urlencoded', cookie: `loa_csrf=${token}` }, body },
          env,
        )
        await expectVietnamesePage(res, () => `POST ${form} ${clip(body.toString())}`)
      }),
      { numRuns: PAGE_RUNS },
    )
  }, TIMEOUT_MS)
})

const cookieNames = fc.constantFrom('loa_console', 'loa_csrf', 'loa_who', 'loa_sub', 'loa_signin', 'x')
/** The headers a client controls, with values that are junk, odd or long. */
const junkHeaders = fc.record(
  {
    cookies: fc.array(fc.tuple(cookieNames, headerValue), { maxLength: 4 }),
    'x-forwarded-for': fc.oneof(headerValue, fc.constantFrom('198.51.100.7, 10.0.0.1', '::1, ::1', ', , ,', '300.1.1.1', 'fe80::1%eth0')),
    'x-forwarded-proto': fc.oneof(headerValue, fc.constantFrom('https', 'HTTPS, http', 'http', 'ftp')),
    'cf-connecting-ip': fc.oneof(headerValue, fc.constantFrom('203.0.113.7', '::ffff:1.2.3.4', '')),
    host: fc.oneof(headerValue, fc.constantFrom('loa.example.gov.vn', 'localhost:99999', '[::1]:80', 'a'.repeat(3_000))),
    origin: fc.oneof(headerValue, fc.constantFrom('http://localhost', 'https://localhost', 'null', 'https://evil.example')),
    'accept-language': headerValue,
  },
  { requiredKeys: [] },
)

describe('fuzzing the headers of every page', () => {
  it(`${PAGE_RUNS} generated headers on console and phone pages, signed in or not, never a 5xx`, async () => {
    const pages = await publicItems(h())
    const admin = await consoleAs(h(), 'admin')
    const session = admin.jar.get('loa_console')!
    const paths = fc.oneof(consolePath, fc.constantFrom(...pages, '/p/identify', '/admin/login'))
    const socket = fc.constantFrom('127.0.0.1', '::1', '192.0.2.1', '')
    await fc.assert(
      fc.asyncProperty(paths, junkHeaders, socket, fc.boolean(), fc.boolean(), async (path, junk, address, signedIn, post) => {
        const { cookies = [], ...rest } = junk
        const pairs = [...cookies.map(([k, v]) => `${k}=${v}`), ...(signedIn ? [`loa_console=${session}`] : [])]
        const headers: Record<string, string> = { ...rest, ...(pairs.length ? { cookie: pairs.join('; ') } : {}) }
        if (post) headers['content-type'] = 'application/x-www-form-urlencoded'
        const init = { method: post ? 'POST' : 'GET', headers, ...(post ? { body: '_csrf=x&phone=0901234567' } : {}) }
        // As Node builds the request's URL: from the Host header, when it is one.
        const local = new URL(`http://localhost${path}`)
        const asked = URL.parse(`http://${headers.host}${path}`)
        const url = asked && headers.host && !asked.username && !asked.password && asked.pathname === local.pathname ? asked.href : local.href
        const res = await h().app.request(url, init, { incoming: { socket: { remoteAddress: address } } })
        await expectVietnamesePage(res, () => `${init.method} ${path} ${clip(JSON.stringify(headers))} from ${address}`)
      }),
      { numRuns: PAGE_RUNS },
    )
  }, TIMEOUT_MS)
})
