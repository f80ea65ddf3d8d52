/**
 * The directory of a city as a download: 20,000 people in 2,000 schools under 100 wards, two in
 * three with a linked chat and a phone. Times the whole list as .xlsx and as CSV, and who has not
 * linked, over the real app on an in-memory database.
 *   npx tsx bench/exports.ts [people]
 */
import { chatLinks, people } from '#db/schema/index.js'
import { chunk } from '#src/util.js'
import { startHarness } from '../test/helpers/harness.js'

const PEOPLE = Number(process.argv[2] ?? 20_000)
const SCHOOLS = 2000
const WARDS = 100
const h = await startHarness()
const ms = (from: number) => `${(performance.now() - from).toFixed(0)} ms`

const unitRows: object[] = [{ code: 'SGDDT', name: 'Sở Giáo dục và Đào tạo', kind: 'department' }]
for (let w = 0; w < WARDS; w++) unitRows.push({ code: `P${w}`, name: `Phường ${w}`, kind: 'commune', parentCode: 'SGDDT' })
for (let i = 0; i < SCHOOLS; i++) unitRows.push({ code: `U${i}`, name: `Trường số ${i}`, kind: 'school', parentCode: `P${i % WARDS}` })
await h.api('/units', { body: unitRows })
const rows = Array.from({ length: PEOPLE }, (_, i) => ({
  externalId: `GV${i}`,
  fullName: `Nguyễn Thị Giáo Viên ${i}`,
  unitCode: `U${i % SCHOOLS}`,
  roles: i % 10 === 0 ? ['teacher', 'focal_point'] : ['teacher'],
  ...(i % 3 ? { phone: `09${String(i).padStart(8, '0')}` } : {}),
}))
for (const part of chunk(rows, 5000)) await h.api('/people', { body: part })
const ids = await h.db.select({ id: people.id }).from(people)
const links = ids.filter((_, i) => i % 3).map((p, i) => ({ personId: p.id, channel: i % 2 ? ('telegram' as const) : ('zalo' as const), chatId: `c${p.id}`, linkedAt: new Date() }))
for (const part of chunk(links, 1000)) await h.db.insert(chatLinks).values(part)
console.log(`directory: ${unitRows.length} units, ${ids.length} people, ${links.length} linked`)

// CPU time as well as wall time: on a shared machine the wall time says more about the neighbours.
const time = async (label: string, path: string) => {
  const t = performance.now()
  const cpu = process.cpuUsage()
  const res = await h.api(path)
  const bytes = (await res.arrayBuffer()).byteLength
  const used = process.cpuUsage(cpu)
  console.log(`${label}: ${res.status}, ${(bytes / 1024).toFixed(0)} KiB in ${ms(t)} (CPU ${((used.user + used.system) / 1000).toFixed(0)} ms)`)
}
await time('people JSON, one page of 100', '/people?limit=100')
await time('people .xlsx, the whole directory (admin: with phones)', '/people?format=xlsx')
await time('people CSV, the whole directory', '/people?format=csv')
await time('not linked .xlsx', '/people?linked=false&format=xlsx')
await time('one ward with its schools .xlsx', '/people?unit=P7&format=xlsx')
await h.close()
