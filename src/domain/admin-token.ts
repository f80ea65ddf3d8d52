import { eq } from 'drizzle-orm'
import { settings } from '#db/schema/index.js'
import type { Db } from '#db/types.js'
import { randomString, sha256Hex } from '../crypto.js'

const KEY = 'admin_token_sha256'

/**
 * The hash the admin API compares bearer tokens with. ADMIN_TOKEN wins when set; otherwise a token
 * is generated on first start, only its hash is stored, and the token is returned once to print.
 */
export async function resolveAdminToken(db: Db, fromEnv: string | undefined): Promise<{ hash: string; generated?: string }> {
  if (fromEnv) return { hash: await sha256Hex(fromEnv) }
  const [row] = await db.select().from(settings).where(eq(settings.key, KEY)).limit(1)
  if (row) return { hash: row.value }
  const token = randomString(40, 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789')
  const hash = await sha256Hex(token)
  await db.insert(settings).values({ key: KEY, value: hash }).onConflictDoNothing()
  const [stored] = await db.select().from(settings).where(eq(settings.key, KEY)).limit(1)
  // Another process may have won the race; then its token stands and ours is never shown.
  return stored?.value === hash ? { hash, generated: token } : { hash: stored!.value }
}
