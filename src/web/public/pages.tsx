import { Hono } from 'hono'
import type { AppDeps } from '../../deps.js'
import { briefRoutes } from './brief.js'
import { followRoutes } from './follow.js'
import { identifyRoutes } from './identify.js'
import { libraryWebRoutes } from './library.js'
import { pollPageRoutes } from './poll.js'
import { quizRoutes } from './quiz.js'
import { resultsRoutes } from './results.js'
import { reportMisinfoRoutes } from './report-misinfo.js'
import { sessionRoutes } from './session.js'
import type { AppEnv } from '../../http/env.js'

/**
 * The public phone pages: a brief, a quiz, a session or a poll at /b/<slug>, /q/<slug>, /s/<slug>, /t/<slug>, their
 * QR codes, identification with a personal code, and the one-tap actions. Everything shown to a
 * reader who has not identified is what the item makes public; nothing names anyone else. They
 * use the pages' one frame (Layout, /assets/loa.css, the `_csrf` form token checked by
 * src/web/csrf.ts before any handler here runs). One file a page: identify.tsx (the code, forgetting
 * this phone, QR codes), brief.tsx, session.tsx (check-in), quiz.tsx; what they share is in
 * phone.tsx (components) and reader.ts (who is reading). library.tsx: the public library, /thu-vien
 * and /thu-vien/<slug> (issue 22). follow.tsx: /theo-doi, where a phone follows its ward (issue 23).
 */
export function publicPages(deps: AppDeps) {
  const app = new Hono<AppEnv>()
  identifyRoutes(app, deps)
  briefRoutes(app, deps)
  sessionRoutes(app, deps)
  quizRoutes(app, deps)
  pollPageRoutes(app, deps)
  resultsRoutes(app, deps)
  libraryWebRoutes(app, deps)
  followRoutes(app, deps)
  reportMisinfoRoutes(app, deps)
  return app
}
