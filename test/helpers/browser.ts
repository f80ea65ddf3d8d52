import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core'
import { ADMIN_TOKEN } from './harness.js'

/**
 * Debian's Chromium (`apt-get install chromium`; .ci/run installs it), driven by playwright-core.
 * Nothing is downloaded: CHROMIUM_PATH overrides where it is. The background-networking flags keep
 * it from calling Google on a machine with no internet.
 */
export async function openBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  })
}

/** A desktop-sized or a phone-sized (360×740, touch) browser context, Vietnamese by default. */
export async function newContext(browser: Browser, kind: 'desktop' | 'phone' = 'desktop'): Promise<BrowserContext> {
  return browser.newContext(
    kind === 'phone'
      ? { viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2, locale: 'vi-VN' }
      : { viewport: { width: 1280, height: 860 }, locale: 'vi-VN' },
  )
}

/** Signs a page in to the console with the bootstrap admin token, and lands on `to`. */
export async function signInWithToken(page: Page, base: string, to = '/admin') {
  await page.goto(`${base}/admin/login?next=${encodeURIComponent(to)}`)
  await page.getByLabel('Mã quản trị', { exact: true }).fill(ADMIN_TOKEN)
  await page.getByRole('button', { name: 'Đăng nhập' }).click()
  await page.waitForURL(`${base}${to}`)
}

/** Errors the page printed to its console, and scripts or styles the CSP refused: a test fails on any. */
export function watchConsole(page: Page): string[] {
  const problems: string[] = []
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(m.text())
  })
  page.on('pageerror', (e) => problems.push(String(e)))
  return problems
}

/** Saves a screenshot for the README under docs/screenshots/. */
export async function screenshot(page: Page, name: string) {
  await page.screenshot({ path: `docs/screenshots/${name}.png`, fullPage: true })
}
