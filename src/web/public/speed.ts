import type { Context } from 'hono'
import { appContext } from '../../http/env.js'
import { csrfToken } from '../csrf-token.js'
import { etagOf } from '../etag.js'

export { etagOf }

/**
 * The brief page is what a school group's hundreds of phones open within minutes; these keep it
 * cheap (bench/web.ts measures it).
 */

/**
 * Lets a page answer without waiting for the group commit of what it wrote (src/app.ts), for a
 * page whose only write is its "opened" row. An open is a count, not something the reader is told
 * was kept, so a crash can lose at most the opens of the last group commit (one event-loop turn,
 * a few milliseconds) and nothing anyone was promised. Every other write still waits.
 */
export function answerBeforeCommit(c: Context) {
  appContext(c).set('answerBeforeCommit', true)
}

export function answersBeforeCommit(c: Context): boolean {
  return appContext(c).get('answerBeforeCommit') === true
}

// 32 letters, as a real token, that no page text contains.
const PLACEHOLDER = 'QxCSRFxTOKENxPLACEHOLDERxQxZqWvJ'

/**
 * Rendered anonymous brief pages, with a hole for the reader's form token: per broadcast row
 * (a new row object, after an edit, a cancel or the row cache's few seconds, renders anew) and
 * per language and address.
 */
export const briefPageCache = {
  pages: new WeakMap<object, Map<string, { parts: string[]; etag: string }>>(),
  /** The page with this reader's token put in, and its ETag (the template's and the token's). */
  async render(row: object, key: string, c: Context, make: () => { toString(): string | Promise<string> }): Promise<{ html: string; etag: string }> {
    const token = csrfToken(c)
    let byKey = this.pages.get(row)
    if (!byKey) this.pages.set(row, (byKey = new Map()))
    let entry = byKey.get(key)
    if (!entry) {
      appContext(c).set('csrfToken', PLACEHOLDER)
      try {
        const template = await make().toString()
        entry = { parts: template.split(PLACEHOLDER), etag: etagOf(template).slice(0, -1) }
      } finally {
        appContext(c).set('csrfToken', token)
      }
      if (byKey.size < 8) byKey.set(key, entry)
    }
    return { html: entry.parts.join(token), etag: `${entry.etag}-${etagOf(token).slice(1)}` }
  },
}
