import { Hono } from 'hono'
import type { AppDeps } from '../../deps.js'
import { accountPages } from './accounts/routes.js'
import { auditPages } from './audit/routes.js'
import { consoleAccessCheck } from './access.js'
import { consoleAuth } from './auth.js'
import { directoryPageRoutes } from './directory/routes.js'
import { personInviteRoutes } from './directory/person-invite.js'
import { personChatRoutes } from './directory/person-chats.js'
import { downloadPages } from './downloads.js'
import { broadcastPages } from './broadcasts/routes.js'
import { broadcastCancelPages } from './broadcasts/cancel.js'
import { homeRoutes } from './home/routes.js'
import { loginRoutes } from './login/routes.js'
import { quizPages } from './quizzes/routes.js'
import { pollPages } from './polls/routes.js'
import { sessionPages } from './sessions/routes.js'
import { periodRoutes } from './periods/routes.js'
import { criteriaPages } from './criteria/routes.js'
import { calendarPages } from './calendar/routes.js'
import { libraryPages } from './library/routes.js'
import { questionPageRoutes } from './questions/routes.js'
import { inboxPageRoutes } from './inbox/routes.js'
import { guidePage } from './guide/routes.js'
import { mediaPages } from './media.js'
import { misinformationPages } from './misinformation/routes.js'
import { agencyPages } from './misinformation/agencies.js'
import { channelPages } from './channel-settings/routes.js'
import type { AppEnv } from '../../http/env.js'

/**
 * The web console under /admin. Sign-in is open; every other page needs a session (consoleAuth)
 * and the role its rule in the access table asks (consoleAccess, src/web/console/access.ts).
 */
export function consoleRoutes(deps: AppDeps) {
  const app = new Hono<AppEnv>()
  app.route('/', loginRoutes(deps))
  app.use('/admin', consoleAuth(deps), consoleAccessCheck)
  app.use('/admin/*', consoleAuth(deps), consoleAccessCheck)
  app.route('/', homeRoutes(deps))
  app.route('/', directoryPageRoutes(deps))
  app.route('/', personInviteRoutes(deps))
  app.route('/', personChatRoutes(deps))
  app.route('/', broadcastPages(deps))
  app.route('/', broadcastCancelPages(deps))
  app.route('/', quizPages(deps))
  app.route('/', pollPages(deps))
  app.route('/', sessionPages(deps))
  app.route('/', periodRoutes(deps))
  app.route('/', criteriaPages(deps))
  app.route('/', calendarPages(deps))
  app.route('/', libraryPages(deps))
  app.route('/', questionPageRoutes(deps))
  app.route('/', inboxPageRoutes(deps))
  app.route('/', misinformationPages(deps))
  app.route('/', agencyPages(deps))
  app.route('/', channelPages(deps))
  app.route('/', accountPages(deps))
  app.route('/', auditPages(deps))
  app.route('/', downloadPages(deps))
  app.route('/', guidePage(deps))
  app.route('/', mediaPages(deps))
  return app
}
