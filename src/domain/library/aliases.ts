import { asc, eq } from 'drizzle-orm'
import { tagAliases } from '#db/schema/index.js'
import type { Db } from '#db/types.js'
import { AppError } from '#src/errors.js'
import { aliasKey, exactText } from './fold.js'

/** The tag aliases, by alias. */
export async function listTagAliases(db: Db): Promise<{ alias: string; tag: string }[]> {
  return db.select({ alias: tagAliases.alias, tag: tagAliases.tag }).from(tagAliases).orderBy(asc(tagAliases.alias))
}

/** Sets what a typed form means ("NQ-71" is kept as "nq71"); setting it again changes its tag. */
export async function setTagAlias(db: Db, input: { alias: string; tag: string }, now: Date): Promise<{ alias: string; tag: string }> {
  const alias = aliasKey(input.alias)
  if (!alias) throw new AppError('unprocessable', 'library.errors.badAlias')
  const tag = exactText(input.tag.trim())
  await db.insert(tagAliases).values({ alias, tag, createdAt: now }).onConflictDoUpdate({ target: tagAliases.alias, set: { tag } })
  return { alias, tag }
}

/** Removes an alias (given as typed or as kept); 404 when there is none. */
export async function removeTagAlias(db: Db, typed: string): Promise<{ alias: string; tag: string }> {
  const alias = aliasKey(typed)
  const [row] = await db.delete(tagAliases).where(eq(tagAliases.alias, alias)).returning({ alias: tagAliases.alias, tag: tagAliases.tag })
  if (!row) throw new AppError('not_found', 'library.errors.noAlias', { alias: typed })
  return row
}
