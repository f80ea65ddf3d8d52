import { beforeAll, describe, expect, it } from 'vitest'
import { enroll, seedDirectory, startHarness, type Harness } from '../helpers/harness.js'
import { signedInAs } from '../helpers/console.js'

let h: Harness
let ids: Awaited<ReturnType<typeof seedDirectory>>

beforeAll(async () => {
  h = await startHarness()
  ids = await seedDirectory(h)
  await enroll(h, ids.lan, 'telegram', '101')
})

/** Console walk P15: pages name channels as people know them, never by their ids. */
describe('the console names channels, not ids', () => {
  it('says a question was asked "qua Telegram"', async () => {
    await h.say.telegram('101', '/hoidap Khi nào có tài liệu tập huấn?')
    const admin = await signedInAs(h, ids.phuc, 'admin')
    const page = await admin.text(await admin.get('/admin/questions'))
    expect(page).toContain('Khi nào có tài liệu tập huấn?')
    expect(page).toMatch(/Hỏi lúc \d\d:\d\d \d\d\/\d\d\/\d{4} qua Telegram/)
    expect(page).not.toContain('qua telegram')
  })
})
