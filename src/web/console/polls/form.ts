import type { Context } from 'hono'
import type { PollRow, Role } from '#db/schema/index.js'
import { roles } from '#src/domain/audience.js'
import { pollInputSchema, type PollInput } from '#src/domain/polls/polls.js'
import type { Translate } from '#src/i18n.js'
import { dateTimeValue, readDateTime, validate, type FormData } from '../forms.js'

/** The new-poll form as typed, kept to show it again with its problems. */
export interface PollDraft {
  title: string
  question: string
  kind: 'single' | 'scale'
  options: string
  allowComment: boolean
  staff: boolean
  unitCodes: string
  roles: Role[]
  subscribers: boolean
  wardCodes: string
  opens: { date: string; time: string }
  closes: { date: string; time: string }
  /** The poll this one repeats (its id), for the trend; '' for a new question. */
  repeatOf: string
}

export const blankPollDraft = (): PollDraft => ({
  title: '',
  question: '',
  kind: 'single',
  options: '',
  allowComment: false,
  staff: true,
  unitCodes: '',
  roles: [],
  subscribers: false,
  wardCodes: '',
  opens: { date: '', time: '' },
  closes: { date: '', time: '' },
  repeatOf: '',
})

/** A repeat of `poll`: the same question, kind, options and audience; new dates. */
export const repeatPollDraft = (poll: PollRow): PollDraft => ({
  title: poll.title,
  question: poll.question,
  kind: poll.kind,
  options: poll.options.join('\n'),
  allowComment: poll.allowComment,
  staff: !!poll.audience.staff,
  unitCodes: poll.audience.staff?.unitCodes.join(', ') ?? '',
  roles: (poll.audience.staff?.roles ?? []) as Role[],
  subscribers: !!poll.audience.subscribers,
  wardCodes: poll.audience.subscribers?.wardCodes.join(', ') ?? '',
  opens: { date: '', time: '' },
  closes: { date: '', time: '' },
  repeatOf: String(poll.id),
})

export function readPollDraft(form: FormData): PollDraft {
  return {
    title: form.get('title'),
    question: form.get('question'),
    kind: form.get('kind') === 'scale' ? 'scale' : 'single',
    options: form.get('options'),
    allowComment: form.get('allowComment') === 'on',
    staff: form.get('staff') === 'on',
    unitCodes: form.get('unitCodes'),
    roles: form.all('roles').filter((r): r is Role => (roles as readonly string[]).includes(r)),
    subscribers: form.get('subscribers') === 'on',
    wardCodes: form.get('wardCodes'),
    opens: dateTimeValue(form, 'opens'),
    closes: dateTimeValue(form, 'closes'),
    repeatOf: /^\d{1,9}$/.test(form.get('repeatOf')) ? form.get('repeatOf') : '',
  }
}

const codes = (s: string) => s.split(/[\s,;]+/).map((c) => c.trim()).filter(Boolean)
const lines = (s: string) => s.split(/\r?\n/).map((l) => l.trim()).filter(Boolean)

/** The draft's own problems, in the page's words, before the schema's. */
function draftErrors(t: Translate, draft: PollDraft): string[] {
  const errors: string[] = []
  const options = lines(draft.options)
  if (!draft.title) errors.push(t('poll.console.titleMissing'))
  if (!draft.question) errors.push(t('poll.console.questionMissing'))
  if (draft.kind === 'single' && options.length < 2) errors.push(t('poll.console.tooFewOptions'))
  if (draft.kind === 'single' && options.length > 9) errors.push(t('poll.console.tooManyOptions'))
  if (draft.kind === 'scale' && options.length > 0) errors.push(t('poll.console.scaleNoOptions'))
  if (!draft.staff && !draft.subscribers) errors.push(t('poll.console.noAudience'))
  return errors
}

/** The posted form as the API's poll input, or its problems in the page's words. */
export function pollFromForm(c: Context, t: Translate, form: FormData, draft: PollDraft, zone: string, now: Date): { data: PollInput } | { errors: string[] } {
  const errors = draftErrors(t, draft)
  const opens = readDateTime(t, form, 'opens', t('poll.console.opens'), zone, true)
  if (opens && 'error' in opens) errors.push(opens.error)
  const closes = readDateTime(t, form, 'closes', t('poll.console.closes'), zone)
  if (closes && 'error' in closes) errors.push(closes.error)
  if (errors.length) return { errors }
  const closesAt = (closes as { at: Date }).at
  const opensAt = opens && 'at' in opens ? opens.at : null
  if (closesAt.getTime() <= Math.max(now.getTime(), opensAt?.getTime() ?? 0)) return { errors: [t('poll.console.closesBeforeOpens')] }
  const input = {
    title: draft.title,
    question: draft.question,
    kind: draft.kind,
    options: draft.kind === 'single' ? lines(draft.options) : [],
    allowComment: draft.allowComment,
    audience: {
      staff: draft.staff ? { unitCodes: codes(draft.unitCodes), includeSubunits: true, roles: draft.roles } : null,
      subscribers: draft.subscribers ? { wardCodes: codes(draft.wardCodes) } : null,
    },
    ...(opensAt ? { opensAt: opensAt.toISOString() } : {}),
    closesAt: closesAt.toISOString(),
    ...(draft.repeatOf ? { repeatOf: Number(draft.repeatOf) } : {}),
  }
  return validate(c, pollInputSchema, input, (p) => p)
}
