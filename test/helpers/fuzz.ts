import fc from 'fast-check'
import { afterEach, beforeEach, expect } from 'vitest'
import { ADMIN_TOKEN, enroll, seedDirectory, startHarness, type Harness } from './harness.js'

/**
 * Shared by the fuzz tests (test/integration/fuzz*.test.ts), split in two files so that vitest runs
 * them side by side.
 */
export const RUNS = Number(process.env.FUZZ_RUNS ?? 10_000)
/** GET routes take no body; their query strings and ids are fuzzed less. */
export const QUERY_RUNS = Math.ceil(RUNS / 10)

/** Enough for ten thousand requests on a busy shared machine. */
export const TIMEOUT_MS = 240_000

// Each route gets a fresh server with a small directory and linked chats, so what one route's
// valid bodies created does not slow the next route's queries.
let h: Harness

/** Registers a fresh, seeded server per test and the health check after it; returns the current one. */
export function useFuzzServer(env: Record<string, string> = {}): () => Harness {
  beforeEach(async () => {
  h = await startHarness(env)
  const ids = await seedDirectory(h)
  await enroll(h, ids.lan, 'telegram', '4001')
  await enroll(h, ids.minh, 'zalo', 'z-4002')
  await enroll(h, ids.phuc, 'telegram', '4003')
  })
  afterEach(async () => {
    await expectHealthy()
    await h.close()
  })
  return () => h
}

/** After the fuzzing: /healthz ok, the admin API answers, and a normal message is still answered on both messengers. */
async function expectHealthy() {
  const health = await h.app.request('/healthz')
  expect(health.status).toBe(200)
  expect(await health.json()).toEqual({ ok: true, database: 'ok' })
  expect((await h.api('/units')).status).toBe(200)
  // The generated updates that were valid came from these chats, far past the per-chat flood
  // budget; a minute later each chat is answered normally again.
  h.setNow(new Date(h.now().getTime() + 61_000))
  const before = h.texts(h.telegram, 4001).length
  const res = await h.say.telegram(4001, '/huongdan')
  expect(res.headers.get('x-loa-update')).toBe('accepted')
  expect(h.texts(h.telegram, 4001).length).toBeGreaterThan(before)
  expect(h.lastText(h.telegram, 4001)).toContain('/huongdan')
  await h.say.zalo('z-4002', 'huong dan')
  expect(h.lastText(h.zalo, 'z-4002')).toContain('/baocao')
}

// ---------------------------------------------------------------------------------------------
// Values that break parsers and validators.

const DEEP = '__deep__'
const HUGE = '__huge__'
export const oddStrings = fc.constantFrom(
  '', ' ', '\u0000', '\ud800', '\udfff', '\ufeff', '\u202e', '😀', 'Ệ\u0301\u0301\u0301', '%00', '../../etc/passwd',
  "'; drop table people; --", '<script>alert(1)</script>', '=HYPERLINK("x")', '1e309', '-0', 'NaN', '2099-01-01T00:00:00Z',
  '0000-00-00T00:00:00Z', 'null', 'undefined', '__proto__', 'constructor',
)
const weird: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  { weight: 3, arbitrary: oddStrings },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 2, arbitrary: fc.constantFrom(null, [], {}, true, 0, -1, 1.5, 1e308, -1e308, Number.MAX_SAFE_INTEGER + 2, [null], [[]], { '': null }) },
  { weight: 1, arbitrary: fc.constant(DEEP) },
  { weight: 1, arbitrary: fc.constant(HUGE) },
)

/** Every path into a JSON value, so a mutation can reach any field. */
function paths(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  const out: (string | number)[][] = [prefix]
  if (Array.isArray(value)) value.forEach((v, i) => out.push(...paths(v, [...prefix, i])))
  else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) out.push(...paths(v, [...prefix, k]))
  return out
}

function setAt(root: unknown, path: (string | number)[], value: unknown, remove: boolean): unknown {
  if (path.length === 0) return value
  const copy = structuredClone(root) as Record<string | number, unknown>
  let node = copy
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>
  const last = path.at(-1)!
  if (remove && !Array.isArray(node)) delete node[last]
  else node[last] = value
  return copy
}

/** Serialises with the placeholders expanded: deep nesting and huge strings are written as text. */
function render(value: unknown, depth: number, size: number): string {
  const text = JSON.stringify(value) ?? 'null'
  return text
    .replaceAll(`"${DEEP}"`, () => (depth % 2 ? '['.repeat(depth) + ']'.repeat(depth) : '{"a":'.repeat(depth) + '1' + '}'.repeat(depth)))
    .replaceAll(`"${HUGE}"`, () => JSON.stringify('Ệ'.repeat(size)))
}

/** A body shaped like `template` with one field replaced, removed, or the whole thing broken. */
export function bodies(template: unknown): fc.Arbitrary<string> {
  const all = paths(template)
  const mutated = fc
    .record({
      path: fc.nat({ max: all.length - 1 }),
      value: weird,
      remove: fc.boolean(),
      times: fc.integer({ min: 1, max: 3 }),
      depth: fc.integer({ min: 1, max: 20_000 }),
      size: fc.integer({ min: 1, max: 300_000 }),
      extra: fc.option(fc.tuple(fc.nat({ max: all.length - 1 }), weird), { nil: undefined }),
    })
    .map(({ path, value, remove, depth, size, extra }) => {
      let body = setAt(template, all[path]!, value, remove)
      if (extra) {
        const more = paths(body)
        body = setAt(body, more[extra[0] % more.length]!, extra[1], false)
      }
      return render(body, depth, size)
    })
  const broken = fc
    .tuple(fc.nat(), fc.string({ unit: 'binary', maxLength: 3 }))
    .map(([at, junk]) => {
      const text = JSON.stringify(template)
      const cut = at % (text.length + 1)
      return text.slice(0, cut) + junk
    })
  return fc.oneof(
    { weight: 12, arbitrary: mutated },
    { weight: 3, arbitrary: broken },
    { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v) ?? 'null') },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 60 }) },
    { weight: 1, arbitrary: fc.constant(JSON.stringify([template, template])) },
    { weight: 1, arbitrary: fc.constant(JSON.stringify(template)) },
  )
}

// ---------------------------------------------------------------------------------------------

export async function expectNo5xx(res: Response, what: () => string) {
  if (res.status >= 500) throw new Error(`${res.status} for ${what()}: ${(await res.text()).slice(0, 300)}`)
  await res.body?.cancel()
}

/** As real clients send them: with the body's length, which the size limits read first. */
export const jsonHeaders = (body: string) => ({ 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) })

export const clip = (s: string) => (s.length > 300 ? `${s.slice(0, 300)}… (${s.length} chars)` : s)


const auth = { authorization: `Bearer ${ADMIN_TOKEN}` }
const audience = { unitCodes: ['THCS-ANHOA'], includeSubunits: true, roles: ['teacher'], platforms: ['telegram', 'zalo'] }
/** Admin routes that take a body: [route, values for its :id or :name, a valid body]. */
export const posts: [string, string[], unknown][] = [
  ['/units', [], [{ code: 'THCS-FZ', name: 'Trường Fuzz', kind: 'school', parentCode: 'P-NINHKIEU', staffCount: 10 }]],
  ['/people', [], [{ externalId: 'FZ1', fullName: 'Người Thử', unitCode: 'THCS-ANHOA', roles: ['teacher'], phone: '0901234567', locale: 'vi' }]],
  ['/people/:id/invites', ['1', '2'], {}],
  ['/jobs/:name/run', ['reminders', 'quizzes', 'broadcasts', 'questions', 'prune-updates'], { now: '2026-03-16T09:00:00+07:00' }],
  ['/broadcasts', [], { kind: 'brief', title: 'Bản tin', body: 'Nội dung', link: 'https://moet.gov.vn', audience, requireAck: true }],
  ['/broadcasts/:id/cancel', ['1', '2'], {}],
  ['/questions/:id/answer', ['1'], { answer: 'Trả lời của Sở' }],
  [
    '/quizzes',
    [],
    { title: 'Kiểm tra', questions: [{ text: 'Nghị quyết số?', options: ['45', '71'], correct: 1 }], passMark: 0.5, closesAt: '2026-04-01T00:00:00+07:00', audience },
  ],
  ['/report-periods', [], { name: 'Kỳ báo cáo', dueAt: '2026-06-15', unitKinds: ['school'], remindDaysBefore: [3, 0] }],
  ['/sessions', [], { title: 'Quán triệt', kind: 'briefing', opensAt: '2026-03-16T08:00:00+07:00', closesAt: '2026-03-16T11:00:00+07:00', audience }],
  [
    '/polls',
    [],
    { title: 'Thăm dò', question: 'Bạn đồng ý?', kind: 'single', options: ['Có', 'Không'], closesAt: '2026-04-01T00:00:00+07:00', audience: { staff: { roles: ['teacher'] }, subscribers: { wardCodes: ['P-NINHKIEU'] } } },
  ],
]
/** Admin routes that take a query: [route, values for its :id, a valid query]. */
export const gets: [string, string[], Record<string, string>][] = [
  ['/units', [], {}],
  ['/people', [], { unitCode: 'THCS-ANHOA', role: 'teacher', limit: '10', offset: '0' }],
  ['/jobs', [], {}],
  ['/broadcasts', [], { kind: 'brief', limit: '5', offset: '0' }],
  ['/broadcasts/summary', [], { year: '2026' }],
  ['/broadcasts/:id', ['1'], {}],
  ['/questions', [], { status: 'all', unitCode: 'SGDDT', limit: '5', offset: '0' }],
  ['/quizzes', [], {}],
  ['/quizzes/:id', ['1'], {}],
  ['/quizzes/:id/results', ['1'], {}],
  ['/polls', [], {}],
  ['/polls/:id/results', ['1'], {}],
  ['/reach', [], { from: '2026-01-01', to: '2026-06-30', format: 'csv' }],
  ['/report-periods', [], {}],
  ['/report-periods/:id/status', ['1'], { format: 'csv' }],
  ['/sessions', [], {}],
  ['/sessions/:id/attendance', ['1'], {}],
  ['/targets', [], { year: '2026' }],
]

const segment = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom('1', '2', '0', '-1', '1.5', '99999999999999999999', 'abc', '%F0%9F%98%80', '%00', '%E1%BB', '..') },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 20 }).map(encodeURIComponent) },
)
const pathFor = (route: string, names: string[]) =>
  fc.tuple(fc.constantFrom(...(names.length ? names : ['-'])), segment, fc.boolean()).map(([known, random, useKnown]) =>
    route.replace(/:(id|name)/, useKnown ? known : random),
  )


/** RUNS generated bodies at one admin route, with the token. */
export async function fuzzPost(h: Harness, route: string, names: string[], template: unknown) {
  await fc.assert(
    fc.asyncProperty(pathFor(route, names), bodies(template), fc.boolean(), async (path, body, english) => {
      const res = await h.app.request(`/api${path}${english ? '?lang=en' : ''}`, {
        method: 'POST',
        headers: { ...auth, ...jsonHeaders(body) },
        body,
      })
      await expectNo5xx(res, () => `POST ${path} ${clip(body)}`)
    }),
    { numRuns: RUNS },
  )
}

/** Generated query strings and ids at one admin route, with the token. */
export async function fuzzGet(h: Harness, route: string, names: string[], template: Record<string, string>) {
  const keys = [...Object.keys(template), 'lang', 'limit', 'offset', 'format', 'x']
  const value = fc.oneof(
    { weight: 2, arbitrary: fc.constantFrom(...Object.values(template), '') },
    { weight: 2, arbitrary: oddStrings },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 30 }) },
    { weight: 1, arbitrary: fc.integer({ min: 1, max: 20_000 }).map((n) => 'Ệ'.repeat(n)) },
  )
  const query = fc.array(fc.tuple(fc.constantFrom(...keys), value), { maxLength: 6 }).map((pairs) => {
    const params = new URLSearchParams()
    for (const [k, v] of pairs) params.append(k, v)
    return params.toString()
  })
  await fc.assert(
    fc.asyncProperty(pathFor(route, names), query, async (path, q) => {
      const res = await h.app.request(`/api${path}?${q}`, { headers: auth })
      await expectNo5xx(res, () => `GET ${path}?${clip(q)}`)
    }),
    { numRuns: QUERY_RUNS },
  )
}
