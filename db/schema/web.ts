import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core'
import { people } from './directory.js'

/** What a public link on PUBLIC_URL opens: /b/… a broadcast, /q/… a quiz, /s/… a session, /t/… a poll (thăm dò). */
export const publicItemKinds = ['broadcast', 'quiz', 'session', 'poll'] as const
export type PublicItemKind = (typeof publicItemKinds)[number]
/** What an "opened" row counts: a public link's item, or a library entry's page (/thu-vien/<slug>, which has its own slug). */
export const openKinds = [...publicItemKinds, 'product'] as const
export type OpenKind = (typeof openKinds)[number]

/** The short random slug of each item's public link, made once, when the item is created or first shown. */
export const publicLinks = sqliteTable(
  'public_links',
  {
    slug: text('slug').primaryKey(),
    kind: text('kind', { enum: publicItemKinds }).notNull(),
    itemId: integer('item_id').notNull(),
    createdAt: integer('created_at', { mode: 'timestamp' }).notNull(),
  },
  (t) => [uniqueIndex('public_links_item_unique').on(t.kind, t.itemId)],
)

/**
 * One row each time a public page was opened. `personId` is set only when the phone had identified
 * (a remembered cookie or a personal signed link); an anonymous open keeps nothing about the reader.
 */
export const webOpens = sqliteTable(
  'web_opens',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    kind: text('kind', { enum: openKinds }).notNull(),
    itemId: integer('item_id').notNull(),
    personId: integer('person_id').references(() => people.id),
    openedAt: integer('opened_at', { mode: 'timestamp' }).notNull(),
  },
  (t) => [index('web_opens_item_idx').on(t.kind, t.itemId, t.personId)],
)

/**
 * Wrong codes in the current hour (src/domain/attempts.ts): personal codes typed on the page, per
 * phone and per address, and check-in codes sent in chat, per chat.
 */
export const webAttempts = sqliteTable(
  'web_attempts',
  {
    /**
     * 'device:<the phone's server-issued device id>', 'ip:<address>', or 'checkin:<hash of the
     * channel and chat id>' (no chat id is kept).
     */
    key: text('key').notNull(),
    windowStart: integer('window_start', { mode: 'timestamp' }).notNull(),
    failures: integer('failures').notNull(),
    /** The latest wrong code: an address past its hourly allowance waits from here (identify.ts). */
    lastFailureAt: integer('last_failure_at', { mode: 'timestamp' }),
  },
  (t) => [primaryKey({ columns: [t.key] })],
)
