import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sql } from 'drizzle-orm'
import { SQLiteSyncDialect } from 'drizzle-orm/sqlite-core'
import { audienceCondition, audienceSchema } from '#src/domain/audience.js'
import { startHarness, type Harness } from '../helpers/harness.js'

/**
 * A city-wide audience covers hundreds of units, and D1 binds at most 100 values a statement: the
 * brief to the Department failed on Workers with 200 schools (bench/d1-cost.ts found it). The unit
 * ids now go as one JSON value, whatever their number.
 */
let h: Harness
beforeAll(async () => {
  h = await startHarness()
})
afterAll(() => h.close())

describe('an audience of many units', () => {
  it('binds the unit ids as one value and reaches everyone under the Department', async () => {
    const schools = Array.from({ length: 150 }, (_, i) => ({ code: `TH${i}`, name: `Trường ${i}`, kind: 'school', parentCode: 'SGDDT' }))
    expect((await h.api('/units', { body: [{ code: 'SGDDT', name: 'Sở GD&ĐT', kind: 'department' }, ...schools] })).status).toBe(200)
    const people = schools.map((s, i) => ({ externalId: `P${i}`, fullName: `Giáo viên ${i}`, unitCode: s.code, roles: ['teacher'] }))
    expect((await h.api('/people', { body: people })).status).toBe(200)
    const cond = await audienceCondition(h.db, audienceSchema.parse({ unitCodes: ['SGDDT'], includeSubunits: true }))
    const query = new SQLiteSyncDialect().sqlToQuery(sql`select 1 from people where ${cond}`)
    expect(query.params.length).toBeLessThan(5)
    const [count] = (await h.db.all(sql`select count(*) as n from people where ${cond}`)) as { n: number }[]
    expect(count!.n).toBe(150)
  })
})
