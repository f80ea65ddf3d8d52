import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser } from 'playwright-core'
import { startWithLinkedPeople, type Harness } from '../helpers/harness.js'
import { newContext, openBrowser, screenshot, signInWithToken, watchConsole } from '../helpers/browser.js'

let h: Harness
let base: string
let browser: Browser
const TG = '7301'
const ZALO = 'zalo-minh-7302'

beforeAll(async () => {
  ;({ h } = await startWithLinkedPeople({ telegram: TG, zalo: ZALO }))
  base = await h.listen()
  browser = await openBrowser()
})
afterAll(async () => {
  await browser?.close()
  await h?.close()
})

describe("a brief's routes of reach, on a phone", () => {
  it('shows the school waiting, then relayed by its focal point once he answers "đã chuyển" in chat, with the reads by channel', async () => {
    const res = await h.api('/broadcasts', {
      body: { kind: 'brief', title: 'Quán triệt Nghị quyết 71', body: 'Các trường tổ chức quán triệt trước ngày 30/3.', audience: { unitCodes: ['THCS-ANHOA'] } },
    })
    expect(res.status).toBe(201)
    const { id } = (await res.json()) as { id: number }
    await h.flush()
    // Minh, the school's focal point, got the brief and the copy for the school's group.
    expect(h.texts(h.zalo, ZALO).some((t) => t.includes('Nguồn: Sở GD&ĐT'))).toBe(true)

    const page = await (await newContext(browser, 'phone')).newPage()
    const problems = watchConsole(page)
    await signInWithToken(page, base, `/admin/broadcasts/${id}`)
    const row = page.locator('tr[data-reach-unit="THCS-ANHOA"]')
    expect(await row.getAttribute('data-relay')).toBe('waiting')

    // Lan reads it on Telegram; Minh says in Zalo that he pasted it into the group.
    await h.say.press(TG, `ack:${id}`)
    await h.say.zalo(ZALO, 'đã chuyển')
    expect(h.lastText(h.zalo, ZALO)).toContain('Quán triệt Nghị quyết 71')

    await page.reload()
    expect(await row.getAttribute('data-relay')).toBe('relayed')
    expect(await row.textContent()).toContain('Trần Văn Minh')
    expect(await page.locator('[data-by-channel]').textContent()).toContain('Telegram 1')
    expect(problems).toEqual([])
    await screenshot(page, 'phone-console-relay')
  })
})
