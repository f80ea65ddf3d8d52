import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { seedDirectory, startHarness, type Harness } from '../helpers/harness.js'
import { signedInAs } from '../helpers/console.js'

/**
 * Phone numbers are never shown to viewers and editors, so the people search must not let them
 * recover one digit by digit (security review #3): for them `q` matches names and staff IDs only.
 */
let h: Harness
let ids: Awaited<ReturnType<typeof seedDirectory>>
beforeEach(async () => {
  h = await startHarness()
  ids = await seedDirectory(h)
  await h.api(`/people/${ids.lan}`, { method: 'PATCH', body: { phone: '0912 000 004' } })
})
afterEach(() => h.close())

async function tokenFor(personId: number, role: string) {
  expect((await h.api(`/people/${personId}/console-role`, { method: 'PUT', body: { role } })).status).toBe(200)
  const res = await h.api('/tokens', { body: { personId, label: 'script' } })
  return ((await res.json()) as { token: string }).token
}
const names = async (res: Response) => ((await res.json()) as { items: { fullName: string }[] }).items.map((p) => p.fullName)

describe('the people search and phone digits', () => {
  it('finds a person by phone digits for an admin only; a viewer or editor finds nobody that way, but still by name', async () => {
    expect(await names(await h.api('/people?q=912000'))).toEqual(['Nguyễn Thị Lan'])
    for (const role of ['viewer', 'editor']) {
      const token = await tokenFor(role === 'viewer' ? ids.minh : ids.phuc, role)
      for (const q of ['912000', '0912000004', '000004', '+84912000004']) {
        expect(await names(await h.api(`/people?q=${encodeURIComponent(q)}`, { token })), `${role} ${q}`).toEqual([])
      }
      expect(await names(await h.api('/people?q=nguyen thi lan', { token }))).toEqual(['Nguyễn Thị Lan'])
    }
  })

  it('does the same in the console: a viewer\'s search by digits lists nobody, an admin\'s lists her', async () => {
    const viewer = await signedInAs(h, ids.minh, 'viewer')
    const asViewer = await viewer.text(await viewer.get('/admin/directory?q=0912000004'))
    expect(asViewer).not.toContain('Nguyễn Thị Lan')
    expect(await viewer.text(await viewer.get('/admin/directory?q=nguyen%20thi%20lan'))).toContain('Nguyễn Thị Lan')
    const admin = await signedInAs(h, ids.phuc, 'admin')
    expect(await admin.text(await admin.get('/admin/directory?q=0912000004'))).toContain('Nguyễn Thị Lan')
  })

  it('keeps the viewer\'s download to names too', async () => {
    const token = await tokenFor(ids.minh, 'viewer')
    const csv = await (await h.api('/people?q=912000&format=csv', { token })).text()
    expect(csv).not.toContain('Nguyễn Thị Lan')
  })
})
