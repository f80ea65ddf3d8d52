import type { Context } from 'hono'
import { getCookie, setCookie } from 'hono/cookie'
import type { OpenKind } from '#db/schema/index.js'
import type { AppDeps } from '../../deps.js'
import { webPerson } from '../../domain/web/identify.js'
import { recordOpen } from '../../domain/web/opens.js'
import { signingKey } from '../../domain/web/signed-tokens.js'
import { newDeviceToken, personalLinkLive, verifyDeviceToken, verifyPersonalToken, verifyRememberToken } from '../../domain/web/signed-tokens.js'
import { isSecureRequest } from '../../http/client-ip.js'

/** Who a phone page is read by: a personal link's person, or the one this phone remembers. */
export type Reader = { id: number; fullName: string; viaLink: boolean }

export const WHO_COOKIE = 'loa_who'
/** The server-issued id of a phone that has typed a personal code (its limit of wrong codes). */
const DEVICE_COOKIE = 'loa_dev'
/** Browsers keep a cookie at most 400 days. */
const LONG = 400 * 86_400

/** The key that signs personal links, remembered readers and device ids. */
export const linkKey = (deps: AppDeps) => signingKey(deps.db, deps.config.webLinkSecret)

export const cookieOptions = (c: Context) => ({
  path: '/',
  httpOnly: true,
  sameSite: 'Lax' as const,
  secure: isSecureRequest(c),
  maxAge: LONG,
})

/** One "opened" event: into the batch of a long-lived server, else written now. */
export const recordOpened = async (deps: AppDeps, kind: OpenKind, itemId: number, personId: number | null, now: Date) =>
  deps.opens ? deps.opens.record(kind, itemId, personId, now) : recordOpen(deps.db, kind, itemId, personId, now)

/**
 * The phone's device id for its own limit of wrong codes: the one the server issued it, else a
 * new one, set now (a phone that drops it starts a new count, but is still counted by its address).
 */
export async function deviceOf(deps: AppDeps, c: Context): Promise<string> {
  const k = await linkKey(deps)
  const known = await verifyDeviceToken(k, getCookie(c, DEVICE_COOKIE))
  if (known) return known
  const fresh = await newDeviceToken(k)
  setCookie(c, DEVICE_COOKIE, fresh.token, cookieOptions(c))
  return fresh.id
}

/** Who is reading: a personal link's token for this slug, else the remembered cookie. */
export async function readerOf(deps: AppDeps, c: Context, slug: string, token: string | undefined): Promise<Reader | undefined> {
  const { db, config } = deps
  const remembered = getCookie(c, WHO_COOKIE)
  // An anonymous visitor (from a school group) costs no signature check at all.
  if (!token && !remembered) return undefined
  const k = await linkKey(deps)
  const now = deps.clock()
  const claim = await verifyPersonalToken(k, slug, token)
  const fromLink = claim && (await personalLinkLive(db, claim, now, config.webLinkTtlDays)) ? claim.personId : null
  const personId = fromLink ?? (await verifyRememberToken(k, remembered, now, config.webLinkTtlDays))
  if (personId == null) return undefined
  const person = await webPerson(db, personId)
  return person ? { id: person.id, fullName: person.fullName, viaLink: fromLink != null } : undefined
}
