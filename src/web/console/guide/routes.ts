import { Hono } from 'hono'
import type { AppDeps } from '#src/deps.js'
import { pageText } from '../../locale.js'
import { GuidePage, guideBlocks } from './views.js'
import type { AppEnv } from '#src/http/env.js'

/** GET /admin/guide: the Vietnamese guide for the Department's staff, linked from every console page's footer. */
export function guidePage(deps: Pick<AppDeps, 'assets'>) {
  const app = new Hono<AppEnv>()
  const blocks = guideBlocks(deps.assets['huong-dan.md'])
  const title = blocks.find((b) => b.kind === 'h1')
  app.get('/admin/guide', (c) => {
    const { t } = pageText(c)
    return c.html(GuidePage({ c, title: title && 'text' in title ? title.text : t('web.console.guide'), blocks }))
  })
  return app
}
