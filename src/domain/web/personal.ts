import type { PublicItemKind } from '#db/schema/index.js'
import type { ChannelName } from '../../core/events.js'
import type { AppDeps } from '../../deps.js'
import { ensurePublicLink, publicPath } from './public-slugs.js'
import { signingKey } from './signed-tokens.js'
import { personalToken, subscriberToken } from './signed-tokens.js'

/**
 * The personal link a direct message carries: the item's page on PUBLIC_URL with a signed token
 * naming the recipient, the time and the messenger, so they act on the page without typing a code
 * (for WEB_LINK_TTL_DAYS, while that chat stays linked: tokens.ts `personalLinkLive`). Undefined
 * when PUBLIC_URL is not set (a message cannot know the server's address otherwise) or the
 * delivery has no person.
 */
export async function personalUrl(
  deps: AppDeps,
  kind: PublicItemKind,
  itemId: number,
  personId: number | null,
  channel: ChannelName,
): Promise<string | undefined> {
  if (!deps.config.publicUrl || personId == null) return undefined
  const now = deps.clock()
  const slug = await ensurePublicLink(deps.db, kind, itemId, now)
  const token = await personalToken(await signingKey(deps.db, deps.config.webLinkSecret), slug, personId, channel, now)
  return token && `${deps.config.publicUrl}${publicPath(kind, slug)}?p=${token}`
}

/**
 * The item's public link (no person in it), for a copy that is pasted into a school group: anyone
 * who opens it reads the brief and identifies with their own code. Undefined without PUBLIC_URL.
 */
export async function publicUrl(deps: AppDeps, kind: PublicItemKind, itemId: number): Promise<string | undefined> {
  if (!deps.config.publicUrl) return undefined
  return `${deps.config.publicUrl}${publicPath(kind, await ensurePublicLink(deps.db, kind, itemId, deps.clock()))}`
}

/**
 * The personal link a subscriber's message carries (a poll to their ward): like `personalUrl`, the
 * token naming the subscriber instead of a person; it works while that subscriber exists on the
 * chat's messenger (erasure ends it). Undefined without PUBLIC_URL.
 */
export async function subscriberUrl(deps: AppDeps, kind: PublicItemKind, itemId: number, subscriberId: number, channel: ChannelName): Promise<string | undefined> {
  if (!deps.config.publicUrl) return undefined
  const now = deps.clock()
  const slug = await ensurePublicLink(deps.db, kind, itemId, now)
  const token = await subscriberToken(await signingKey(deps.db, deps.config.webLinkSecret), slug, subscriberId, channel, now)
  return token && `${deps.config.publicUrl}${publicPath(kind, slug)}?p=${token}`
}
