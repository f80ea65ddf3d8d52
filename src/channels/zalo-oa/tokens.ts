import { and, eq, lt, sql } from 'drizzle-orm'
import { oauthStates, oauthTokens } from '#db/schema/index.js'
import type { Db } from '#db/types.js'
import { ChannelError, ConnectionError, type ChannelConnection, type ConnectionStatus } from '../../core/channel.js'
import { decryptSecret, encryptSecret, pkcePair, randomString, sha256Hex } from '../../crypto.js'
import type { OaTokenSource, ZaloOaClient } from './client.js'
import type { OaTokens } from './schemas.js'

/** Refresh tokens are reported valid for about 3 months from issue [obs]; each refresh issues a new one. */
export const REFRESH_TOKEN_DAYS = 90
/** A permission request not completed within this is refused. */
const STATE_TTL_MS = 3_600_000
/** The access token is refreshed on use when less than this remains. */
const REFRESH_ON_USE_MS = 60_000

const CHANNEL = 'zalo_oa' as const

/**
 * The OA's tokens in the database, encrypted with TOKEN_ENCRYPTION_KEY. A refresh spends the
 * refresh token, so the new pair replaces the old one only where nobody rotated it meanwhile
 * (`version` compare-and-set); a process that loses that race reads the winner's pair.
 */
export function createOaTokenStore(db: Db, key: Uint8Array, client: ZaloOaClient, clock: () => Date) {
  let inflight: Promise<string | null> | null = null

  async function load() {
    const [row] = await db.select().from(oauthTokens).where(eq(oauthTokens.channel, CHANNEL)).limit(1)
    if (!row) return null
    return {
      row,
      access: await decryptSecret(key, row.accessToken, 'zalo_oa:access'),
      refresh: await decryptSecret(key, row.refreshToken, 'zalo_oa:refresh'),
    }
  }

  async function sealed(tokens: OaTokens, now: Date) {
    return {
      accessToken: await encryptSecret(key, tokens.access_token, 'zalo_oa:access'),
      refreshToken: await encryptSecret(key, tokens.refresh_token, 'zalo_oa:refresh'),
      accessExpiresAt: new Date(now.getTime() + tokens.expires_in * 1000),
      refreshExpiresAt: new Date(now.getTime() + REFRESH_TOKEN_DAYS * 86_400_000),
      lastError: null,
      updatedAt: now,
    }
  }

  /** Spends the refresh token for a new pair and stores it atomically; throws when Zalo refuses. */
  async function rotate(): Promise<string | null> {
    const current = await load()
    if (!current) return null
    const now = clock()
    let tokens: OaTokens
    try {
      tokens = await client.refresh(current.refresh)
    } catch (err) {
      const why = err instanceof ChannelError ? err.message : String(err)
      await db.update(oauthTokens).set({ lastError: why.slice(0, 300) }).where(eq(oauthTokens.channel, CHANNEL))
      throw err
    }
    const values = await sealed(tokens, now)
    const won = await db
      .update(oauthTokens)
      .set({ ...values, version: current.row.version + 1 })
      .where(and(eq(oauthTokens.channel, CHANNEL), eq(oauthTokens.version, current.row.version)))
      .returning({ version: oauthTokens.version })
    if (won.length) return tokens.access_token
    // Another process rotated first (our refresh token was already spent): use what it stored.
    return (await load())?.access ?? null
  }

  function refreshNow(): Promise<string | null> {
    if (!inflight) inflight = rotate().finally(() => (inflight = null))
    return inflight
  }

  const source: OaTokenSource = {
    async accessToken() {
      const current = await load()
      if (!current) return null
      if (current.row.accessExpiresAt.getTime() - clock().getTime() > REFRESH_ON_USE_MS) return current.access
      return refreshNow()
    },
    refreshNow,
  }

  const connection: ChannelConnection = {
    async status(): Promise<ConnectionStatus> {
      const [row] = await db.select().from(oauthTokens).where(eq(oauthTokens.channel, CHANNEL)).limit(1)
      if (!row) return { connected: false }
      return {
        connected: row.refreshExpiresAt.getTime() > clock().getTime(),
        accountId: row.accountId,
        accessExpiresAt: row.accessExpiresAt,
        refreshExpiresAt: row.refreshExpiresAt,
        lastError: row.lastError,
      }
    },
    async startAuthorization(redirectUri, now) {
      const { verifier, challenge } = await pkcePair()
      const state = randomString(32, 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789')
      await db.delete(oauthStates).where(lt(oauthStates.createdAt, new Date(now.getTime() - STATE_TTL_MS)))
      await db.insert(oauthStates).values({
        stateHash: await sha256Hex(state),
        channel: CHANNEL,
        verifier: await encryptSecret(key, verifier, 'zalo_oa:pkce'),
        createdAt: now,
      })
      return client.permissionUrl(redirectUri, challenge, state)
    },
    async completeAuthorization(input, now) {
      // The state is single use: taken (deleted) before the code is traded.
      const [pending] = await db
        .delete(oauthStates)
        .where(eq(oauthStates.stateHash, await sha256Hex(input.state)))
        .returning()
      if (!pending || now.getTime() - pending.createdAt.getTime() > STATE_TTL_MS) {
        throw new ConnectionError('bad_state', 'unknown, used or expired state')
      }
      const verifier = await decryptSecret(key, pending.verifier, 'zalo_oa:pkce')
      let tokens: OaTokens
      try {
        tokens = await client.exchangeCode(input.code, verifier)
      } catch (err) {
        throw new ConnectionError('refused', err instanceof Error ? err.message : String(err))
      }
      const values = await sealed(tokens, now)
      await db
        .insert(oauthTokens)
        .values({ channel: CHANNEL, accountId: input.accountId ?? null, ...values, version: 1 })
        .onConflictDoUpdate({ target: oauthTokens.channel, set: { accountId: input.accountId ?? null, ...values, version: sql`${oauthTokens.version} + 1` } })
    },
    async refreshIfDue(now, aheadMs) {
      const [row] = await db.select().from(oauthTokens).where(eq(oauthTokens.channel, CHANNEL)).limit(1)
      if (!row) return 'not_connected'
      if (row.accessExpiresAt.getTime() - now.getTime() > aheadMs) return 'fresh'
      await refreshNow()
      return 'refreshed'
    },
  }
  return { source, connection }
}
