import type { Context } from 'hono'
import type { SessionKind } from '#db/schema/index.js'
import { sessionInputSchema, sessionKinds, type SessionInput } from '#src/domain/attendance/sessions.js'
import type { Audience } from '#src/domain/audience.js'
import type { Translate } from '#src/i18n.js'
import { dateTimeValue, readAudience, readDateTime, validate, type FormData } from '../forms.js'

/** The new-session form as typed, kept to show it again with its problems. */
export interface SessionDraft {
  title: string
  kind: SessionKind
  code: string
  opens: { date: string; time: string }
  closes: { date: string; time: string }
  audience: Audience
}

export const blankSessionDraft = (): SessionDraft => ({
  title: '',
  kind: 'briefing',
  code: '',
  opens: { date: '', time: '' },
  closes: { date: '', time: '' },
  audience: { unitCodes: [], includeSubunits: true, unitKinds: [], roles: [], platforms: [] },
})

/** A field of the API's input named as the form names it. */
export function sessionLabel(t: Translate, path: string): string {
  const key = path.split('.')[0]
  if (key === 'code') return t('consoleContent.sessions.fieldCode')
  if (key === 'title') return t('consoleContent.sessions.fieldTitle')
  if (key === 'closesAt') return t('consoleContent.sessions.closes')
  if (key === 'opensAt') return t('consoleContent.sessions.opens')
  return path
}

export function readSessionDraft(form: FormData): SessionDraft {
  const kind = form.get('kind')
  return {
    title: form.get('title'),
    kind: (sessionKinds as readonly string[]).includes(kind) ? (kind as SessionKind) : 'briefing',
    code: form.get('code'),
    opens: dateTimeValue(form, 'opens'),
    closes: dateTimeValue(form, 'closes'),
    audience: readAudience(form),
  }
}

/** The posted form as the API's session input, or its problems in the page's words. */
export function sessionFromForm(c: Context, t: Translate, form: FormData, draft: SessionDraft, zone: string): { data: SessionInput } | { errors: string[] } {
  const errors: string[] = []
  if (!draft.title) errors.push(t('consoleContent.sessions.titleMissing'))
  const opens = readDateTime(t, form, 'opens', t('consoleContent.sessions.opens'), zone)
  if (opens && 'error' in opens) errors.push(opens.error)
  const closes = readDateTime(t, form, 'closes', t('consoleContent.sessions.closes'), zone)
  if (closes && 'error' in closes) errors.push(closes.error)
  if (errors.length) return { errors }
  const opensAt = (opens as { at: Date }).at
  const closesAt = (closes as { at: Date }).at
  if (closesAt.getTime() <= opensAt.getTime()) return { errors: [t('consoleContent.sessions.closesBeforeOpens')] }
  const input = {
    title: draft.title,
    kind: draft.kind,
    opensAt: opensAt.toISOString(),
    closesAt: closesAt.toISOString(),
    ...(draft.code ? { code: draft.code } : {}),
    audience: draft.audience,
  }
  return validate(c, sessionInputSchema, input, (p) => sessionLabel(t, p))
}
