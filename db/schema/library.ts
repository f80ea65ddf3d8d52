import { sql } from 'drizzle-orm'
import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core'
import { people, units } from './directory.js'

/** What a catalogue entry is (issue 22): `faq` and `correction` do not count toward the products target by default. */
export const productKinds = ['brief', 'infographic', 'video', 'article', 'document', 'faq', 'correction'] as const
export type ProductKind = (typeof productKinds)[number]
/** `public`: on /thu-vien and to anyone in chat; `internal`: only to staff (linked chats, the console). */
export const productAudiences = ['internal', 'public'] as const
export type ProductAudience = (typeof productAudiences)[number]
/** `published` with a `publishedAt` still ahead is scheduled: seen by editors only until that moment. */
export const productStatuses = ['draft', 'published', 'archived'] as const
export type ProductStatus = (typeof productStatuses)[number]

const now = sql`(unixepoch())`

/**
 * The library of communication products ("kho dữ liệu truyền thông giáo dục", src/domain/library/).
 * `searchExact` (the text in NFC) and `searchFolded` (the same text folded: no marks, đ→d, lower
 * case) are written by the app on every change; SQLite triggers copy them into the FTS5 table
 * `product_search` (migration `library_search`), so the index is kept in the same statement.
 */
export const products = sqliteTable(
  'products',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    kind: text('kind', { enum: productKinds }).notNull(),
    title: text('title').notNull(),
    summary: text('summary').notNull().default(''),
    body: text('body').notNull().default(''),
    link: text('link'),
    imageUrl: text('image_url'),
    tags: text('tags', { mode: 'json' }).$type<string[]>().notNull().default(sql`'[]'`),
    audience: text('audience', { enum: productAudiences }).notNull().default('internal'),
    ownerUnitId: integer('owner_unit_id').references(() => units.id),
    publishedAt: integer('published_at', { mode: 'timestamp' }),
    status: text('status', { enum: productStatuses }).notNull().default('draft'),
    countsTowardTarget: integer('counts_toward_target', { mode: 'boolean' }).notNull().default(true),
    /** An FAQ entry an admin marked "tự động": it may answer a matching question at once, labelled. */
    autoAnswer: integer('auto_answer', { mode: 'boolean' }).notNull().default(false),
    /** Short and readable, unique: the public page /thu-vien/<slug>. */
    slug: text('slug').notNull(),
    /** The console account (a person) who made it; null for the ADMIN_TOKEN and migrations. */
    createdBy: integer('created_by').references(() => people.id),
    createdAt: integer('created_at', { mode: 'timestamp' }).notNull().default(now),
    updatedAt: integer('updated_at', { mode: 'timestamp' }).notNull().default(now),
    searchExact: text('search_exact').notNull().default(''),
    searchFolded: text('search_folded').notNull().default(''),
  },
  (t) => [
    uniqueIndex('products_slug_unique').on(t.slug),
    index('products_published_idx').on(t.status, t.publishedAt),
    index('products_kind_idx').on(t.kind, t.publishedAt),
  ],
)

export type ProductRow = typeof products.$inferSelect

/** A short form people type for a tag, folded and without spaces ("nq71") → the tag ("Nghị quyết 71"). */
export const tagAliases = sqliteTable('tag_aliases', {
  alias: text('alias').primaryKey(),
  tag: text('tag').notNull(),
  createdAt: integer('created_at', { mode: 'timestamp' }).notNull().default(now),
})
