import { Hono, type Context, type MiddlewareHandler } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import { secureHeaders } from 'hono/secure-headers'
import type { AppDeps } from '../deps.js'
import { assetRoutes } from './assets.js'
import { consoleRoutes } from './console/routes.js'
import { csrfProtection } from './csrf.js'
import { errorPage } from './errors.js'
import { toErrorResponse } from '../errors.js'
import { errorDetails } from '../log.js'
import { pageText } from './locale.js'
import { publicPages } from './public/pages.js'
import { EMBED_PATH } from './public/results.js'
import { MAX_REPORT_BODY_BYTES, REPORT_PATH } from './public/report-misinfo.js'
import type { AppEnv } from '../http/env.js'

/**
 * Content-Security-Policy of every page: scripts and styles from this server only (no inline
 * script or style, no CDN), images from here or any https address (a brief's picture lives on the
 * Department's site), forms post only here, and no other site may frame a page.
 */
const pageHeaders = secureHeaders({
  contentSecurityPolicy: {
    defaultSrc: ["'self'"],
    scriptSrc: ["'self'"],
    styleSrc: ["'self'"],
    imgSrc: ["'self'", 'data:', 'https:'],
    connectSrc: ["'self'"],
    formAction: ["'self'"],
    frameAncestors: ["'none'"],
    baseUri: ["'none'"],
    objectSrc: ["'none'"],
  },
  crossOriginResourcePolicy: 'same-origin',
  referrerPolicy: 'same-origin',
})

/**
 * The embeddable results block (/ket-qua/<year>/nhung), the one page another site may frame: by
 * the origins of EMBED_ORIGINS (frame-ancestors), with no X-Frame-Options; none set: by nobody.
 */
const embedHeaders = (origins: readonly string[]) =>
  secureHeaders({
    contentSecurityPolicy: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'"],
      styleSrc: ["'self'"],
      imgSrc: ["'self'", 'data:', 'https:'],
      connectSrc: ["'self'"],
      formAction: ["'self'"],
      frameAncestors: origins.length ? [...origins] : ["'none'"],
      baseUri: ["'none'"],
      objectSrc: ["'none'"],
    },
    xFrameOptions: false,
    // The portal's page, on another site, embeds it.
    crossOriginResourcePolicy: 'cross-origin',
    referrerPolicy: 'same-origin',
  })

/**
 * A stored image shown to the console (/admin/media/<sha256>): as the API serves it, a policy that
 * lets it load and run nothing.
 */
const MEDIA_PATH = /^\/admin\/media\//
const mediaHeaders = secureHeaders({
  contentSecurityPolicy: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] },
  crossOriginResourcePolicy: 'same-origin',
})

/** The server-rendered pages: /assets, the console (/admin), the public phone pages (/b, /q, /s, /p), the public library (/thu-vien) and results (/ket-qua). */
export function pageRoutes(deps: AppDeps) {
  const app = new Hono<AppEnv>()
  // Whoever opens the server's address (as the start log prints it) is shown the console.
  app.get('/', (c) => c.redirect('/admin', 302))
  // Mounted at the root beside the API: each middleware checks that the path is a page's.
  const embed = embedHeaders(deps.config.embedOrigins)
  app.use('*', (c, next) =>
    !isPagePath(c.req.path) ? next() : EMBED_PATH.test(c.req.path) ? embed(c, next) : MEDIA_PATH.test(c.req.path) ? mediaHeaders(c, next) : pageHeaders(c, next),
  )
  app.route('/', assetRoutes(deps.assets))
  // Before the form token is compared (which parses the body): no page reads more than its limit.
  app.use('*', (c, next) => (isPagePath(c.req.path) ? pageBodyLimit(c, next) : next()))
  app.use('*', (c, next) => (isPagePath(c.req.path) ? csrfProtection(c, next) : next()))
  app.route('/', consoleRoutes(deps))
  app.route('/', publicPages(deps))
  return app
}

/** The largest body a page's form may send (a sign-in, a phone number, a brief's text). */
export const MAX_PAGE_BODY_BYTES = 1024 * 1024
/** The directory import's upload: a file of up to 10 MiB, which its confirmation posts back in base64 (4/3 larger). */
export const MAX_IMPORT_BODY_BYTES = 14 * 1024 * 1024
const IMPORT_PATH = /^\/admin\/directory\/import(?:\/confirm)?$/

const limitOf = (maxSize: number) =>
  bodyLimit({
    maxSize,
    onError: (c) => errorPage(c, 413, 'web.errors.tooLarge', { max: maxSize / 1024 / 1024 }),
  })
const pageLimit = limitOf(MAX_PAGE_BODY_BYTES)
const importLimit = limitOf(MAX_IMPORT_BODY_BYTES)
/** The public misinformation form: a 5 MB image and its fields. */
const reportLimit = limitOf(MAX_REPORT_BODY_BYTES)

/**
 * Refuses (413, a page that says so) a body over the limit: at once when its Content-Length says
 * so, else as soon as that many bytes of it were read.
 */
const pageBodyLimit: MiddlewareHandler = (c, next) => {
  if (c.req.method === 'GET' || c.req.method === 'HEAD') return next()
  return (IMPORT_PATH.test(c.req.path) ? importLimit : c.req.path === REPORT_PATH ? reportLimit : pageLimit)(c, next)
}

/** An error thrown while making a page: a page that says what was wrong (the API answers JSON). */
export function pageError(deps: AppDeps, err: unknown, c: Context) {
  const known = toErrorResponse(err, pageText(c).locale)
  if (known && known.status < 500) return errorPage(c, known.status as 400, 'web.errors.detail', { message: known.body.error.message })
  deps.logger.error({ err: errorDetails(err), method: c.req.method, path: c.req.path }, 'page failed')
  return errorPage(c, 500, 'api.errors.internal')
}

/**
 * Paths the pages answer (so the API's JSON headers and 404 do not apply to them): the console,
 * the assets, and the public pages of a slug (/b|q|s|t/<slug>…), their forms (/p/…), the public
 * library (/thu-vien, /thu-vien/<slug>) and the public results (/ket-qua/<year>).
 */
export function isPagePath(path: string): boolean {
  return path === '/admin' || path.startsWith('/admin/') || path.startsWith('/assets/') || PUBLIC_PAGE.test(path)
}
// Any path under /b, /q, /s, /t (a poll) or /p, the public library (/thu-vien), the public results (/ket-qua),
// following a ward (/theo-doi) and the misinformation form (/phan-anh): a mistyped or withdrawn link gets the styled page's 404.
const PUBLIC_PAGE = /^\/(?:[bqstp](?:\/|$)|thu-vien(?:\/|$)|ket-qua(?:\/|$)|theo-doi(?:\/|$)|phan-anh(?:\/|$))/
