/**
 * The public results page at the city's scale: 150 units (the Department, 20 wards, 129 schools),
 * 40 people each (6,000), a criteria set using every automatic metric and a manual criterion
 * appraised for every school, frozen. Then times GET /ket-qua/2026 and /ket-qua/2026.csv over the
 * real app (in process, like the tests), and prints p50/p95 of each: "cold" with the year's targets
 * computed for every request (as the first request of each minute does), then as served within the minute.
 *   npm run bench:results            (BENCH_RUNS=… to vary; default 200 of each)
 */
import { cpus, loadavg } from 'node:os'
import { forgetPublicTargets } from '#src/domain/criteria/public-results.js'
import { ADMIN_TOKEN, startHarness } from '../test/helpers/harness.js'
import { criteriaSet, FOCAL_POINT_LINKED, REPORTS_SENT, TEACHERS_DAY } from '../test/helpers/criteria-sets.js'

const RUNS = Number(process.env.BENCH_RUNS ?? 200)
const WARDS = 20
const SCHOOLS = 129
const PER_UNIT = 40

const SET = criteriaSet(
  [FOCAL_POINT_LINKED, REPORTS_SENT, { code: 'A3', title: 'Gửi báo cáo đúng hạn', maxPoints: 10, type: 'automatic', metric: 'reports_on_time', appliesTo: ['school', 'commune'] }],
  [
    {
      code: 'B',
      title: 'Tiếp cận cán bộ',
      criteria: [
        { code: 'B1', title: 'Cán bộ kết nối kênh chính thống', maxPoints: 15, type: 'automatic', metric: 'staff_linked' },
        { code: 'B2', title: 'Cán bộ được quán triệt', maxPoints: 15, type: 'automatic', metric: 'staff_briefed' },
        { code: 'B3', title: 'Cán bộ truyền thông được tập huấn', maxPoints: 10, type: 'automatic', metric: 'training_attendance' },
      ],
    },
    { code: 'C', title: 'Hoạt động', criteria: [{ ...TEACHERS_DAY, code: 'C1' }] },
  ],
)

async function api(h: Awaited<ReturnType<typeof startHarness>>, path: string, body: unknown, method = 'POST') {
  const res = await h.app.request(`/api${path}`, { method, headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' }, body: JSON.stringify(body) })
  if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`)
  return res
}

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!

/** `cold`: the year's targets computed for each request, as on the first request of each minute. */
async function time(h: Awaited<ReturnType<typeof startHarness>>, path: string, cold = false) {
  const ms: number[] = []
  let bytes = 0
  for (let i = 0; i < RUNS + 5; i++) {
    if (cold) forgetPublicTargets()
    const t0 = performance.now()
    const res = await h.app.request(path)
    const body = await res.arrayBuffer()
    const took = performance.now() - t0
    if (res.status !== 200) throw new Error(`${path}: ${res.status}`)
    bytes = body.byteLength
    if (i >= 5) ms.push(took) // the first few warm the caches and the JIT
  }
  return { path: `${path}${cold ? ' (cold)' : ''}`, p50: pct(ms, 50), p95: pct(ms, 95), bytes }
}

const h = await startHarness({ LOG_LEVEL: 'silent' })
const t0 = performance.now()
const units = [{ code: 'SGDDT', name: 'Sở Giáo dục và Đào tạo', kind: 'department' }]
for (let w = 0; w < WARDS; w++) units.push({ code: `P${w}`, name: `UBND phường ${w + 1}`, kind: 'commune', parentCode: 'SGDDT' } as (typeof units)[number])
for (let s = 0; s < SCHOOLS; s++) units.push({ code: `T${s}`, name: `Trường ${s + 1}`, kind: 'school', parentCode: `P${s % WARDS}` } as (typeof units)[number])
await api(h, '/units', units)
const people = units.flatMap((u, i) =>
  Array.from({ length: PER_UNIT }, (_, k) => ({ externalId: `U${i}-${k}`, fullName: `Cán bộ ${i}-${k}`, unitCode: u.code, roles: k === 0 ? ['teacher', 'focal_point'] : ['teacher'] })),
)
for (let i = 0; i < people.length; i += 2000) await api(h, '/people', people.slice(i, i + 2000))
await api(h, '/report-periods', { name: 'Báo cáo quý I/2026', dueAt: '2026-03-10', unitKinds: ['school', 'commune'] })
await api(h, '/criteria/2026', SET)
await api(h, '/criteria/2026/publish', {})
for (let s = 0; s < SCHOOLS; s++) await api(h, `/criteria/2026/units/T${s}/appraisal/C1`, { points: s % 21, comment: 'Thẩm định' }, 'PUT')
await api(h, '/criteria/2026/freeze', {})
const seeded = performance.now() - t0

const results = [
  await time(h, '/ket-qua/2026', true),
  await time(h, '/ket-qua/2026.csv', true),
  await time(h, '/ket-qua/2026'),
  await time(h, '/ket-qua/2026.csv'),
  await time(h, '/ket-qua/2026/nhung'),
]
await h.close()

console.log(`results page bench: ${units.length} units, ${people.length} people, frozen snapshot; seeded in ${(seeded / 1000).toFixed(1)} s`)
for (const r of results) console.log(`  GET ${r.path.padEnd(29)} p50 ${r.p50.toFixed(1)} ms  p95 ${r.p95.toFixed(1)} ms  (${(r.bytes / 1024).toFixed(0)} KiB, ${RUNS} runs)`)
console.log(`  goal: under 300 ms; ${cpus().length} cores, load ${loadavg()[0]!.toFixed(2)}`)
