import { Hono, type Context } from 'hono'
import type { BroadcastKind } from '#db/schema/index.js'
import type { AppDeps } from '#src/deps.js'
import type { Audience } from '#src/domain/audience.js'
import type { BroadcastAudience } from '#src/domain/broadcast/subscribers.js'
import { publicPartOf } from './public.js'
import { draftInputSchema, duplicateAsDraft, saveDraft } from '#src/domain/broadcast/drafts.js'
import { getBroadcast, type BroadcastRow } from '#src/domain/broadcast/service.js'
import { AppError } from '#src/errors.js'
import { CsrfField } from '../../layout.js'
import { pageText } from '../../locale.js'
import { accountOf } from '../auth.js'
import { errorMessages, validate } from '../forms.js'
import type { AppEnv } from '#src/http/env.js'

/** What the compose form holds (src/web/console/broadcasts.tsx). */
export interface ComposeDraft {
  kind: BroadcastKind
  title: string
  body: string
  link: string
  imageUrl: string
  requireAck: boolean
  audience: BroadcastAudience
  when: 'now' | 'later' | 'observance'
  scheduled: { date: string; time: string }
  /** "Gửi trước ngày kỷ niệm": the commemoration (MM-DD), N days before, yearly. Not kept in a saved draft. */
  observance: { date: string; daysBefore: string; yearly: boolean }
  /** The library entry this brief carries (made from /admin/library/:id): linked when sent. */
  productId?: number
}

/** A saved draft back in the compose form. */
export function composeDraftOf(b: BroadcastRow): ComposeDraft {
  const a = b.audience as unknown as Partial<Audience>
  return {
    kind: b.kind,
    title: b.title,
    body: b.body,
    link: b.link ?? '',
    imageUrl: b.imageUrl ?? '',
    requireAck: b.requireAck,
    audience: { unitCodes: a.unitCodes ?? [], includeSubunits: a.includeSubunits ?? true, unitKinds: a.unitKinds ?? [], roles: a.roles ?? [], platforms: a.platforms ?? [], ...publicPartOf(b.audience) },
    when: 'now',
    scheduled: { date: '', time: '' },
    observance: { date: '', daysBefore: '', yearly: true },
  }
}

/** The draft id the compose form carries when it edits a saved draft. */
export function draftIdOf(value: string): number | undefined {
  const id = Number(value)
  return Number.isSafeInteger(id) && id > 0 ? id : undefined
}

/** The compose form's content as the schemas read it (an empty link or image left out). */
export function contentFields(draft: ComposeDraft) {
  return {
    kind: draft.kind,
    title: draft.title,
    body: draft.body,
    ...(draft.link ? { link: draft.link } : {}),
    ...(draft.imageUrl ? { imageUrl: draft.imageUrl } : {}),
    audience: draft.audience,
    requireAck: draft.requireAck,
    ...(draft.productId ? { productId: draft.productId } : {}),
  }
}

/**
 * "Lưu nháp": saves the form as it is (a title is enough; link and image are checked) and goes to
 * the draft's page; or the errors, in the page's words, for the form to show again.
 */
export async function saveDraftFromForm(c: Context, deps: AppDeps, draft: ComposeDraft, draftId: number | undefined, label: (path: string) => string): Promise<Response | { errors: string[] }> {
  const parsed = validate(
    c,
    draftInputSchema,
    contentFields(draft),
    label,
  )
  if ('errors' in parsed) return { errors: parsed.errors }
  try {
    const saved = await saveDraft(deps.db, parsed.data, { now: deps.clock(), createdBy: accountOf(c).personId, id: draftId })
    return c.redirect(`/admin/broadcasts/${saved.id}?done=draft`, 303)
  } catch (err) {
    const messages = errorMessages(c, err, label)
    if (!messages) throw err
    return { errors: messages }
  }
}

/** "Nhân bản" on a broadcast's page, for editors. */
export function DuplicateForm({ c, id }: { c: Context; id: number }) {
  const { t } = pageText(c)
  return (
    <form method="post" action={`/admin/broadcasts/${id}/duplicate`} class="actions" id="duplicate">
      <CsrfField c={c} />
      <button type="submit" class="secondary" aria-describedby="duplicate-hint">
        {t('consoleContent.broadcasts.duplicate')}
      </button>
      <span class="hint" id="duplicate-hint">
        {t('consoleContent.broadcasts.duplicateHint')}
      </span>
    </form>
  )
}

/** POST /admin/broadcasts/:id/duplicate: a new draft from any broadcast, opened for editing. */
export function draftRoutes(deps: AppDeps) {
  const app = new Hono<AppEnv>()
  app.post('/admin/broadcasts/:id/duplicate', async (c) => {
    const id = draftIdOf(c.req.param('id'))
    const source = id ? await getBroadcast(deps.db, id) : undefined
    if (!source) throw new AppError('not_found', 'api.errors.noBroadcast', { id: c.req.param('id') })
    const copy = await duplicateAsDraft(deps.db, source, { now: deps.clock(), createdBy: accountOf(c).personId })
    return c.redirect(`/admin/broadcasts/${copy.id}?done=duplicated&from=${source.id}`, 303)
  })
  return app
}
