/**
 * Reminders and the status table at city scale: 2,000 units, each with a linked focal point and a
 * manager. Runs the real app on an in-memory database with the fake Bot APIs on 127.0.0.1.
 *   npx tsx bench/reports.ts
 */
import { chatLinks, people } from '#db/schema/index.js'
import { startHarness } from '../test/helpers/harness.js'

const UNITS = 2000
const h = await startHarness()
const ms = (from: number) => `${(performance.now() - from).toFixed(0)} ms`

const unitRows = [{ code: 'SGDDT', name: 'Sở Giáo dục và Đào tạo', kind: 'department' }]
for (let i = 0; i < UNITS; i++) unitRows.push({ code: `U${i}`, name: `Trường số ${i}`, kind: 'school', parentCode: 'SGDDT' } as never)
await h.api('/units', { body: unitRows })
const peopleRows = []
for (let i = 0; i < UNITS; i++) {
  peopleRows.push({ externalId: `F${i}`, fullName: `Đầu mối ${i}`, unitCode: `U${i}`, roles: ['focal_point'] })
  peopleRows.push({ externalId: `M${i}`, fullName: `Hiệu trưởng ${i}`, unitCode: `U${i}`, roles: ['manager'] })
}
await h.api('/people', { body: peopleRows })
const all = await h.db.select({ id: people.id }).from(people)
// Every tenth focal point has no chat: those units show as "no focal point".
for (const [i, p] of all.entries()) {
  if (i % 20 === 0) continue
  await h.db.insert(chatLinks).values({ personId: p.id, channel: i % 2 ? 'telegram' : 'zalo', chatId: `c${p.id}`, linkedAt: new Date() })
}

const created = await h.api('/report-periods', { body: { name: 'Báo cáo 6 tháng đầu năm 2026', dueAt: '2026-06-15', unitKinds: ['school'] } })
const period = (await created.json()) as { id: number }
console.log(`directory: ${UNITS} units, ${all.length} people`)

let t = performance.now()
let res = await (await h.api('/jobs/reminders/run', { body: { now: '2026-06-08T08:00:00+07:00' } })).json()
console.log(`reminders job, 7 days before: ${res.reminders} queued in ${ms(t)}`)
t = performance.now()
res = await (await h.api('/jobs/reminders/run', { body: { now: '2026-06-08T09:00:00+07:00' } })).json()
console.log(`same day again (all deduplicated): ${res.reminders} queued in ${ms(t)}`)
t = performance.now()
res = await (await h.api('/jobs/reminders/run', { body: { now: '2026-06-16T08:00:00+07:00' } })).json()
console.log(`escalation day 1 (focal points and managers): ${res.reminders} queued in ${ms(t)}`)

t = performance.now()
const status = await (await h.api(`/report-periods/${period.id}/status`)).json()
console.log(`status JSON for ${status.items.length} units: ${ms(t)}`)
t = performance.now()
const csv = await (await h.api(`/report-periods/${period.id}/status?format=csv`)).text()
console.log(`status CSV (${(csv.length / 1024).toFixed(0)} KiB): ${ms(t)}`)

h.setNow('2026-06-08T08:00:00+07:00')
t = performance.now()
const sent = await h.flush()
console.log(`outbox drain of the day-7 reminders through the fakes (rendered at send time): ${sent.sent} sent in ${ms(t)}`)
await h.close()
