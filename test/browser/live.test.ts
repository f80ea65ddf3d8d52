import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { newContext, openBrowser, signInWithToken, watchConsole } from '../helpers/browser.js'
import { startWithLinkedPeople, type Harness } from '../helpers/harness.js'

/**
 * Live pages in a real browser (walk O4, O9): a session's attendance list and its projector view
 * take a new check-in without a reload, through /assets/live.js under the strict CSP, and say it in
 * the polite live region. No page may log an error or have a script refused.
 */
let h: Harness
let browser: Browser
let base: string
const TG = '6200000001'

beforeAll(async () => {
  ;({ h } = await startWithLinkedPeople({ telegram: TG, zalo: 'zl-minh-02' }))
  base = await h.listen()
  browser = await openBrowser()
}, 60_000)
afterAll(async () => {
  await browser?.close()
  await h?.close()
})

describe('live refresh', () => {
  it('the attendance list and the projector count rise when someone checks in, without a reload', async () => {
    const s = (await (
      await h.api('/sessions', { body: { title: 'Hội nghị quán triệt NQ71', kind: 'briefing', opensAt: '2026-03-16T01:30:00Z', closesAt: '2026-03-16T04:00:00Z' } })
    ).json()) as { id: number; code: string }
    const page = await (await newContext(browser)).newPage()
    const problems = watchConsole(page)
    await signInWithToken(page, base, `/admin/sessions/${s.id}`)
    await expect(page.locator('#attendance-list').textContent()).resolves.toContain('Chưa ai điểm danh.')
    const projector = await page.context().newPage()
    problems.push(...watchConsole(projector))
    await projector.goto(`${base}/admin/sessions/${s.id}/projector`)
    await expect(projector.locator('#projector-count').textContent()).resolves.toContain('Đã điểm danh: 0/')
    // The page must not reload: a marker set on its window survives only a swap of its parts.
    await page.evaluate(() => ((window as unknown as { kept: boolean }).kept = true))

    await h.say.telegram(TG, `/diemdanh ${s.code}`)
    await page.locator('#attendance-list tr[data-person]').first().waitFor({ timeout: 15_000 })
    expect(await page.evaluate(() => (window as unknown as { kept?: boolean }).kept)).toBe(true)
    await expect(page.locator('#live-status').textContent()).resolves.toBe('Đã điểm danh: 1')
    await projector.locator('#projector-count', { hasText: 'Đã điểm danh: 1/' }).waitFor({ timeout: 15_000 })
    await projector.screenshot({ path: 'docs/screenshots/console-session-projector.png' })
    expect(problems, problems.join('\n')).toEqual([])
    await page.context().close()
  }, 60_000)
})
