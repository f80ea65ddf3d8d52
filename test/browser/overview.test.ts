import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser } from 'playwright-core'
import { newContext, openBrowser, screenshot, signInWithToken, watchConsole } from '../helpers/browser.js'
import { seedCity, seedQuiz } from '../helpers/city.js'
import { startHarness, type Harness } from '../helpers/harness.js'

/**
 * The console's overview shows the figures of the seeded city (test/helpers/city.ts), worked out
 * by hand: the targets with goal, standing in words and definition, the ward roll-up drilled down
 * to a unit and to the people behind the figure, and the charts drawn under the strict CSP.
 */
let h: Harness
let base: string
let browser: Browser

beforeAll(async () => {
  h = await startHarness()
  await seedCity(h)
  await seedQuiz(h)
  // A long school name, as Vietnamese school names are: its chart label must stay readable.
  await h.api('/units', { body: [{ code: 'TH-D', name: 'Trường Trung học phổ thông Bùi Hữu Nghĩa', kind: 'school', parentCode: 'SGDDT', staffCount: 5 }] })
  base = await h.listen()
  browser = await openBrowser()
}, 60_000)
afterAll(async () => {
  await browser?.close()
  await h?.close()
})

describe('console overview', () => {
  it('shows each target with its figure, goal, standing and definition, by ward, down to the people', async () => {
    const context = await newContext(browser)
    const page = await context.newPage()
    const problems = watchConsole(page)
    await signInWithToken(page, base)
    expect(await page.locator('h1').textContent()).toBe('Tổng quan')
    expect(await page.locator('h2#targets').textContent()).toBe('Chỉ tiêu của Kế hoạch năm 2026')

    const row = (id: string) => page.locator(`tr[data-target="${id}"]`)
    expect(await page.locator('tr[data-target]').count()).toBe(6)
    // Managers and teachers reached every month since they entered: A1 A2 A3 B1 of six; declared staff 47.
    const reached = row('managersTeachersReached')
    expect(await reached.locator('[data-figure]').innerText()).toBe('4/6 (66,7%)')
    expect(await reached.locator('[data-of-staff]').innerText()).toBe('4/47 (8,5%)')
    expect(await reached.locator('.badge').innerText()).toBe('Chưa đạt')
    expect(await reached.locator('td.num').nth(2).innerText()).toBe('≥ 90%')
    expect(await reached.locator('td.definition').innerText()).toContain('trong mỗi tháng của khoảng thời gian')
    // Reports: two of three schools sent, one on time.
    expect(await row('unitsReporting').locator('[data-figure]').innerText()).toBe('2/3 (66,7%)\nđúng hạn: 1/3 (33,3%)')
    expect(await row('staffBriefed').locator('[data-figure]').innerText()).toBe('2/8 (25%)')
    expect(await row('staffBriefed').locator('[data-of-staff]').innerText()).toBe('2/48 (4,2%)')
    expect(await row('focalPoints').locator('[data-figure]').innerText()).toBe('3/6 (50%)\nđầu mối đã liên kết: 2')
    expect(await row('digitalProducts').locator('[data-figure]').innerText()).toBe('0')

    // The ward roll-up of the reach target, then a ward's units, then the people of a school.
    expect(await page.locator('tr[data-ward="P-A"] td').first().innerText()).toBe('3/3 (100%)')
    expect(await page.locator('tr[data-ward="P-B"] td').first().innerText()).toBe('1/2 (50%)')
    expect(await page.locator('tr[data-ward=""] th').innerText()).toBe('Trực thuộc Sở (không thuộc phường, xã nào)')

    // Charts drawn by the served script from the embedded JSON, with their figures in a table.
    await page.locator('canvas[data-chart="chart-wards"][data-drawn="true"]').waitFor()
    expect(await page.locator('canvas[data-drawn="true"]').count()).toBe(5)
    // Every bar of the least-reached chart is labelled (none skipped); a long name is on two lines,
    // whole in the tooltip; the quiz chart counts people in whole numbers (no "0,1 … 1,0").
    const charts = await page.evaluate(() => {
      const get = (id: string) => (window as any).Chart.getChart(document.querySelector(`canvas[data-chart="${id}"]`))
      const units = get('chart-units')
      const long = units.data.labels.findIndex((l: unknown) => Array.isArray(l))
      return {
        labels: units.data.labels.length,
        ticks: units.scales.y.ticks.length,
        long: units.data.labels[long],
        tooltip: units.options.plugins.tooltip.callbacks.title([{ dataIndex: long }]),
        quizTicks: get('chart-quiz').scales.y.ticks.map((t: { value: number }) => t.value),
      }
    })
    expect(charts.ticks).toBe(charts.labels)
    expect(charts.long).toEqual(['Trường Trung học phổ', 'thông Bùi Hữu Nghĩa'])
    expect(charts.tooltip).toBe('Trường Trung học phổ thông Bùi Hữu Nghĩa')
    expect(charts.quizTicks.every((v: number) => Number.isInteger(v))).toBe(true)
    // The quiz of 18/03: A1 answered both questions right, A3 one of two; only A1 reached the 80 % to pass.
    expect(await page.locator('#chart-quiz-title').innerText()).toBe('Điểm bài kiểm tra «Hiểu đúng NQ71» (2 người làm xong, 1 đạt)')
    await page.locator('section:has(#chart-quiz-title) summary').click()
    const quizRows = page.locator('table[data-chart-table="chart-quiz"] tbody tr')
    expect(await quizRows.allInnerTexts()).toEqual(['0\t0', '1\t1', '2\t1'])
    expect(await page.locator('table[data-chart-table="chart-reporting"] tbody tr').first().textContent()).toBe('Trường học111')
    expect(await page.locator('#chart-acks-title').innerText()).toBe('Xác nhận đã đọc theo giờ sau khi gửi «Tóm tắt NQ71 (2)» (1/8)')
    await screenshot(page, 'console-overview-figures')

    await page.locator('tr[data-ward="P-B"] a').click()
    expect(await page.locator('h1').innerText()).toMatch(/các đơn vị của Phường B$/)
    expect(await page.locator('tr[data-unit="TH-B1"] td.num').nth(1).innerText()).toBe('1/2 (50%)')
    await page.locator('tr[data-unit="TH-B1"] a').click()
    expect(await page.locator('h1').innerText()).toMatch(/: Trường B1$/)
    const people = page.locator('tr[data-person]')
    expect(await people.count()).toBe(2)
    // Missing first: B2 has no chat; B1 entered in March and was reached in March.
    expect(await people.nth(0).locator('th').innerText()).toBe('Bùi Văn Hai')
    expect(await people.nth(0).locator('.badge').innerText()).toBe('Chưa')
    expect(await people.nth(1).locator('th').innerText()).toBe('Bùi Văn Một')
    expect(await people.nth(1).locator('.badge').innerText()).toBe('Có')
    expect(await people.nth(1).locator('td').last().innerText()).toBe('03/2026: có')
    await page.getByLabel('Lọc').selectOption('missing')
    await page.getByRole('button', { name: 'Xem' }).click()
    expect(await page.locator('tr[data-person]').count()).toBe(1)

    // A chosen span: February only (B1 not yet in the directory): 3 of 5.
    await page.goto(`${base}/admin?from=2026-02-01&to=2026-02-28`)
    expect(await page.locator('h2#targets').textContent()).toBe('Chỉ tiêu từ 01/02/2026 đến 28/02/2026')
    expect(await row('managersTeachersReached').locator('[data-figure]').innerText()).toBe('3/5 (60%)')
    // In English on request.
    await page.goto(`${base}/admin?lang=en`)
    expect(await page.locator('h1').textContent()).toBe('Overview')
    expect(await row('managersTeachersReached').locator('.badge').innerText()).toBe('Behind')
    expect(await row('managersTeachersReached').locator('[data-figure]').innerText()).toBe('4/6 (66.7%)')
    expect(problems, problems.join('\n')).toEqual([])
    await context.close()
  })
})
