import { Hono } from 'hono'
import { etagOf } from './etag.js'
import { assetTypes, type AssetFiles, type AssetName } from './asset-names.js'
import type { AppEnv } from '../http/env.js'


/** GET /assets/<name>: the stylesheet, scripts and vendor files, cached for a day. */
export function assetRoutes(files: AssetFiles) {
  const etags = new Map<string, string>()
  for (const [name, text] of Object.entries(files)) etags.set(name, etagOf(text))
  const app = new Hono<AppEnv>()
  app.get('/assets/:name', (c) => {
    const name = c.req.param('name') as AssetName
    if (!Object.hasOwn(assetTypes, name) || files[name] === undefined) return c.notFound()
    const etag = etags.get(name)!
    c.header('ETag', etag)
    c.header('Cache-Control', 'public, max-age=86400')
    c.header('X-Content-Type-Options', 'nosniff')
    if (c.req.header('if-none-match') === etag) return c.body(null, 304)
    return c.body(files[name], 200, { 'Content-Type': assetTypes[name] })
  })
  return app
}
