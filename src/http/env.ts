import type { Context } from 'hono'
import type { Locale } from '#db/schema/index.js'
import type { ConsoleAccount } from '../domain/console/signin-sessions.js'
import type { Translate } from '../i18n.js'
import type { ApiCaller } from './auth.js'
import type { TrustProxy } from '../trust-proxy.js'

/** Whose word is taken for the client's address and scheme, set on every request (src/http/client-ip.ts). */
export interface RequestTrust {
  trust: TrustProxy
  publicUrl: string | undefined
}

/**
 * What a request carries from one middleware to the next, in one place: `c.get`/`c.set` of a key
 * not listed here, or of a value of another type, fails tsc. Each is set by one module and read
 * through its accessor (callerOf, accountOf, pageText, csrfToken…), never directly by a route.
 */
export interface AppEnv {
  Variables: {
    /** Proxy settings (requestTrust, src/http/client-ip.ts). */
    requestTrust?: RequestTrust
    /** The API's caller (adminAuth, src/http/auth.ts). */
    apiCaller?: ApiCaller
    /** The API's language (hono/language's detector, src/http/locale.ts). */
    language?: string
    /** Who just signed in, for the audit row of that request (src/http/audit.ts). */
    auditSignIn?: { personId: number | null }
    /** The signed-in console account (consoleAuth, src/web/console/auth.ts). */
    account?: ConsoleAccount
    /** A page's translate function and language, computed once (src/web/locale.ts). */
    pageText?: { t: Translate; locale: Locale }
    /** The browser's form token (src/web/csrf.ts). */
    csrfToken?: string
    /** A public page that may answer before the group commit (src/web/public/speed.ts). */
    answerBeforeCommit?: boolean
  }
}

/** A request's context with the app's typed variables. */
type AppContext = Context<AppEnv>

/**
 * Any route's context seen with the app's variables (Hono's `Context`, of env `any`, is assignable
 * to every env, so no cast): the shared accessors take a plain `Context`, as not every router is a
 * `Hono<AppEnv>`, and read and write through this, where a key or a value of the wrong type fails tsc.
 */
export function appContext(c: Context): AppContext {
  return c
}
