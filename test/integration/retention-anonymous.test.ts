import { sql } from 'drizzle-orm'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { startWithLinkedPeople, type Harness } from '../helpers/harness.js'

/**
 * Anonymous traffic writes rows (security #9): an audit row for every post to /api or /admin,
 * refused ones included, and an "opened" row for every view of a public page. The retention job
 * keeps them a bounded time: anonymous audit rows 30 days, anonymous opens 90 days.
 */
let h: Harness
beforeEach(async () => {
  ;({ h } = await startWithLinkedPeople({ telegram: '6300000091', zalo: 'zl-minh-91' }))
})
afterEach(() => h.close())

const count = async (q: ReturnType<typeof sql>) => Number((await h.db.get<{ n: number }>(q))!.n)
const anonymousAudit = () => count(sql`select count(*) as n from audit_log where actor = 'anonymous'`)
const signedAudit = () => count(sql`select count(*) as n from audit_log where actor <> 'anonymous'`)
const anonymousOpens = () => count(sql`select count(*) as n from web_opens where person_id is null`)
const retention = async () => (await (await h.api('/jobs/retention/run', { body: {} })).json()) as Record<string, unknown>
const days = (n: number) => new Date(Date.parse('2026-03-16T02:00:00Z') + n * 86_400_000)

describe('anonymous rows', () => {
  it('are pruned by the retention job: refused and anonymous requests after 30 days, anonymous page views after 90', async () => {
    const brief = (await (
      await h.api('/broadcasts', { body: { kind: 'brief', title: 'Bản tin số 9', body: 'Nội dung.', audience: { unitCodes: ['THCS-ANHOA'] } } })
    ).json()) as { id: number; publicUrl: string }
    const page = new URL(brief.publicUrl).pathname
    for (let i = 0; i < 5; i++) {
      expect((await h.api('/units', { token: null, body: [{ code: `X${i}`, name: 'X', kind: 'school' }] })).status).toBe(401)
      expect((await h.app.request(page)).status).toBe(200)
    }
    expect(await anonymousAudit()).toBe(5)
    expect(await anonymousOpens()).toBe(5)
    const signed = await signedAudit()
    const opened = async () => ((await (await h.api(`/broadcasts/${brief.id}`)).json()) as any).byChannel.opened
    expect(await opened()).toBe(5)

    // Within 30 days nothing goes.
    h.setNow(days(29))
    expect(await retention()).toMatchObject({ anonymousAudit: 0, anonymousOpens: 0 })
    // After 30 days the anonymous requests' rows go; those of signed-in callers stay.
    h.setNow(days(31))
    expect(await retention()).toMatchObject({ anonymousAudit: 5, anonymousOpens: 0 })
    expect(await anonymousAudit()).toBe(0)
    expect(await signedAudit()).toBeGreaterThanOrEqual(signed)
    expect(await anonymousOpens()).toBe(5)
    // After 90 days the anonymous opens go too; a second run finds nothing more.
    h.setNow(days(91))
    expect(await retention()).toMatchObject({ anonymousAudit: 0, anonymousOpens: 5 })
    expect(await retention()).toMatchObject({ anonymousAudit: 0, anonymousOpens: 0 })
    expect(await opened()).toBe(0)
  })
})
