import fc from 'fast-check'
import { signedInAs } from './console.js'
import { clip, oddStrings, RUNS } from './fuzz.js'
import type { Harness } from './harness.js'

/**
 * The pages' side of the fuzzing (test/integration/fuzz-pages.test.ts): generated query strings,
 * form fields and headers at the console (signed in) and the phone pages (anonymous). No answer may
 * be a 5xx, and every error is a page in Vietnamese.
 */
export const PAGE_RUNS = Math.ceil(RUNS / 40)

/** The console's pages that answer GET; :id and :code are filled in (known or generated). */
export const consolePages = [
  '/admin',
  '/admin/audit',
  '/admin/accounts',
  '/admin/channels',
  '/admin/directory',
  '/admin/directory/units',
  '/admin/directory/units/:code',
  '/admin/directory/people/:id',
  '/admin/directory/import',
  '/admin/directory/linking',
  '/admin/directory/invites',
  '/admin/broadcasts',
  '/admin/broadcasts/new',
  '/admin/broadcasts/:id',
  '/admin/broadcasts/:id/cancel',
  '/admin/quizzes',
  '/admin/quizzes/new',
  '/admin/quizzes/:id',
  '/admin/sessions',
  '/admin/sessions/new',
  '/admin/sessions/:id',
  '/admin/sessions/:id/projector',
  '/admin/guide',
  '/admin/periods',
  '/admin/periods/:id',
  '/admin/periods/:id/download/csv',
  '/admin/questions',
  '/admin/misinformation',
  '/admin/misinformation/stats',
  '/admin/misinformation/:id',
  '/admin/agencies',
  '/admin/targets/:id/units',
  '/admin/targets/:id/people',
  '/admin/summary/:year/:half',
  '/admin/login',
  '/admin/login/code',
]

/** What the console's and phone pages read from a query string (`lang` is left out: the pages stay Vietnamese). */
const queryKeys = [
  'from', 'to', 'period', 'q', 'unit', 'subunits', 'role', 'linked', 'offset', 'page', 'personId', 'actor', 'limit', 'status',
  'kind', 'agency', 'ma', 'wardTarget', 'saved', 'done', 'people', 'queued', 'next', 'out', 'p', 'fb', 'e', 'retry', 'x',
]

const numbers = fc.constantFrom('1', '2', '0', '-1', '1.5', '1e400', '-1e300', '99999999999999999999', 'NaN', 'Infinity', '0x10')
const days = fc.constantFrom('2026-01-01', '9999-12-31', '0000-01-01', '2026-02-30', '1970-01-01', '2026-13-01', '2026-03-16T09:00:00+07:00')
/** A query or form value: plausible, odd, numbers and days out of range, binary, long. */
export const pageValue = fc.oneof(
  { weight: 4, arbitrary: numbers },
  { weight: 3, arbitrary: days },
  { weight: 2, arbitrary: oddStrings },
  { weight: 1, arbitrary: fc.constantFrom('managersTeachersReached', 'THCS-ANHOA', 'teacher', 'true', 'false', 'anonymous', '/admin', '/admin/\r\nX: 1', '//evil.example') },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 30 }) },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 2_000 }).map((n) => 'Ệ'.repeat(n)) },
)

/** Some of the keys the pages read (each present about one time in three), with generated values. */
export const queryString = fc
  .tuple(...queryKeys.map(() => fc.oneof({ weight: 2, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: pageValue })))
  .map((values) => new URLSearchParams(queryKeys.flatMap((k, i) => (values[i] === undefined ? [] : [[k, values[i]!]]))).toString())

const segment = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom('1', '2', '0', '-1', '1.5', '1e400', '99999999999999999999', 'abc', 'THCS-ANHOA', 'SGDDT', '%00', '%E1%BB', '..') },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 20 }).map(encodeURIComponent) },
)
/** A console page's path with its :params filled in. */
const pathOf = (route: string) =>
  fc.tuple(segment, segment, fc.constantFrom('2026', '9999', '0000', '1970'), fc.constantFrom('1', '2', '3')).map(([id, code, year, half]) =>
    route.replace(':id', id).replace(':code', code).replace(':year', year).replace(':half', half),
  )
export const consolePath = fc.constantFrom(...consolePages).chain(pathOf)

/** A header value as it can arrive over HTTP: printable ASCII and Latin-1 bytes. */
export const headerValue = fc.oneof(
  { weight: 2, arbitrary: fc.string({ unit: fc.integer({ min: 0x20, max: 0xff }).filter((c) => c !== 0x7f).map((c) => String.fromCharCode(c)), maxLength: 60 }) },
  { weight: 1, arbitrary: fc.constantFrom('', ' ', '1e400', '../..', "'; drop table people; --", 'null', '__proto__', '9'.repeat(400)) },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 3_000 }).map((n) => 'a'.repeat(n)) },
)

/** Throws unless the answer is below 500 and, when it is an error, a page in Vietnamese. */
export async function expectVietnamesePage(res: Response, what: () => string) {
  if (res.status >= 500) throw new Error(`${res.status} for ${what()}: ${(await res.text()).slice(0, 300)}`)
  if (res.status < 400) return void (await res.body?.cancel())
  const html = await res.text()
  if (!(res.headers.get('content-type') ?? '').includes('text/html') || !html.includes('<html lang="vi"')) {
    throw new Error(`${res.status} for ${what()} is not a Vietnamese page: ${clip(html)}`)
  }
}

/** The fuzz server's people, their ids by external id. */
async function peopleIds(h: Harness): Promise<Record<string, number>> {
  const body = (await (await h.api('/people?limit=50')).json()) as { items: { id: number; externalId: string }[] }
  return Object.fromEntries(body.items.map((p) => [p.externalId, p.id]))
}

/** A console client signed in as the seeded admin (AD001) or viewer (GV001). */
export async function consoleAs(h: Harness, role: 'admin' | 'viewer') {
  const ids = await peopleIds(h)
  return signedInAs(h, role === 'admin' ? ids.AD001! : ids.GV001!, role)
}

/** Generated queries at each of the console's GET pages (PAGE_RUNS over all of them), as `role`; the statuses seen. */
export async function fuzzConsole(h: Harness, role: 'admin' | 'viewer') {
  const client = await consoleAs(h, role)
  const seen = new Map<number, number>()
  for (const route of consolePages) {
    await fc.assert(
      fc.asyncProperty(pathOf(route), queryString, async (path, q) => {
        const res = await client.get(`${path}?${q}`)
        seen.set(res.status, (seen.get(res.status) ?? 0) + 1)
        await expectVietnamesePage(res, () => `GET ${path}?${clip(q)} as ${role}`)
      }),
      { numRuns: Math.ceil((PAGE_RUNS * 6) / consolePages.length) },
    )
  }
  return seen
}

/** A brief, a quiz and a session with public pages: their paths (/b|q|s/<slug>); then the public results (/ket-qua). */
export async function publicItems(h: Harness): Promise<string[]> {
  const made = await Promise.all([
    h.api('/broadcasts', { body: { kind: 'brief', title: 'Bản tin', body: 'Nội dung', requireAck: true } }),
    h.api('/quizzes', { body: { title: 'Hiểu NQ71', closesAt: '2026-04-01T00:00:00Z', questions: [{ text: 'Năm?', options: ['2024', '2025'], correct: 1 }] } }),
    h.api('/sessions', { body: { title: 'Quán triệt', kind: 'briefing', opensAt: '2026-03-16T01:00:00Z', closesAt: '2026-03-16T04:00:00Z' } }),
  ])
  const urls = await Promise.all(made.map(async (r) => ((await r.json()) as { publicUrl?: string }).publicUrl))
  if (urls.some((u) => !u)) throw new Error(`no public links: ${JSON.stringify(urls)}`)
  // And the public results of the year and their embeddable block (no item of their own).
  // And following a ward on the web (/theo-doi), and the misinformation form.
  return [...urls.map((u) => new URL(u!).pathname), '/ket-qua/2026', '/ket-qua/2026/nhung', '/theo-doi', '/phan-anh', '/phan-anh/tra-cuu']
}
