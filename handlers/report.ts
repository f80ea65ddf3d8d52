import type { ReportPeriodRow } from '#db/schema/index.js'
import type { OutboundMessage } from '#src/core/events.js'
import type { ChoiceHandler, Command, Feature, Flow, HandlerContext, Reply } from '#src/core/handler.js'
import { formatDate, formatDateTime, type MessageKey } from '#src/i18n.js'
import {
  missingFields,
  parseQuickReport,
  readField,
  type QuickParse,
  type ReportDraft,
  type ReportField,
} from '#src/domain/reporting/answers.js'
import { findDuePeriod, isRequired, latestReport, standingsFor } from '#src/domain/reporting/periods.js'
import { unitContacts } from '#src/domain/reporting/status.js'
import { submitReport } from '#src/domain/reporting/submit.js'
import { choiceIds } from '#src/core/choice-ids.js'

/**
 * Status reports in chat: /baocao (or a reminder's button) → which period → four short questions
 * (or the one-message form) → summary → confirm. The draft lives in the conversation state; only
 * the confirmation writes a report.
 */
const FLOW = 'report'
interface FlowData {
  periodId?: number
  draft: ReportDraft
}

const askKey: Record<ReportField, MessageKey> = {
  activities: 'report.askActivities',
  digitalProducts: 'report.askDigitalProducts',
  briefedPercent: 'report.askBriefedPercent',
  difficulties: 'report.askDifficulties',
}
const reasonKey: Record<ReportField, MessageKey> = {
  activities: 'report.reasonCount',
  digitalProducts: 'report.reasonCount',
  briefedPercent: 'report.reasonPercent',
  difficulties: 'report.reasonText',
}

function tz(ctx: HandlerContext) {
  return ctx.deps.config.timezone
}

/** Focal points and admins report for their own unit; anyone else is told whom to ask. */
async function refusal(ctx: HandlerContext): Promise<OutboundMessage | null> {
  const { person, unit } = ctx.linked!
  if (person.roles.includes('focal_point') || person.roles.includes('admin')) return null
  const focal = (await unitContacts(ctx.deps.db, [unit.id])).get(unit.id)!.focalPoints
  if (focal.length === 0) return { text: ctx.t('report.notFocalPointNone', { unit: unit.name }) }
  return { text: ctx.t('report.notFocalPoint', { unit: unit.name, names: focal.map((f) => f.fullName).join(', ') }) }
}

function unreadableMessage(ctx: HandlerContext, quick: QuickParse): OutboundMessage | null {
  if (quick.unreadable.length === 0) return null
  const parts = quick.unreadable.map((u) => `"${u.part}" (${ctx.t(u.field ? reasonKey[u.field] : 'report.reasonKey')})`)
  return { text: ctx.t('report.unreadable', { parts: parts.join(', ') }) }
}

async function nextStep(ctx: HandlerContext, period: ReportPeriodRow, draft: ReportDraft): Promise<OutboundMessage> {
  const [missing] = missingFields(draft)
  if (missing) {
    await ctx.setConversation({ flow: FLOW, step: missing, data: { periodId: period.id, draft } })
    return { text: ctx.t(askKey[missing]) }
  }
  await ctx.setConversation({ flow: FLOW, step: 'confirm', data: { periodId: period.id, draft } })
  return summary(ctx, period, draft)
}

function summary(ctx: HandlerContext, period: ReportPeriodRow, draft: ReportDraft): OutboundMessage {
  const { t } = ctx
  return {
    text: t('report.summary', {
      period: period.name,
      unit: ctx.linked!.unit.name,
      activities: draft.activities ?? '',
      products: draft.digitalProducts ?? '',
      percent: draft.briefedPercent ?? '',
      difficulties: draft.difficulties ?? '',
    }),
    choices: [
      { id: choiceIds.report.confirm(period.id), label: t('report.confirm') },
      { id: choiceIds.report.redo(period.id), label: t('report.redo') },
      { id: choiceIds.report.cancel(period.id), label: t('report.cancel') },
    ],
  }
}

/** Checks the person may report for this period now, then starts (or resumes with a quick draft). */
async function begin(ctx: HandlerContext, period: ReportPeriodRow, quick?: QuickParse): Promise<Reply> {
  const { t, now } = ctx
  const { unit } = ctx.linked!
  if (now >= period.closesAt) return { text: t('report.periodGone') }
  if (!(await isRequired(ctx.deps.db, period, unit))) return { text: t('report.notRequired', { period: period.name, unit: unit.name }) }
  const last = await latestReport(ctx.deps.db, period.id, unit.id)
  const date = formatDateTime(period.dueAt, tz(ctx))
  if (last && now > period.dueAt) {
    await ctx.clearConversation()
    return {
      text: t('report.correctionClosed', { period: period.name, unit: unit.name, time: formatDateTime(last.submittedAt, tz(ctx)), date }),
    }
  }
  const intro = [t('report.intro', { period: period.name, unit: unit.name, date })]
  if (last) intro.push(t('report.introCorrection', { time: formatDateTime(last.submittedAt, tz(ctx)) }))
  if (now > period.dueAt) intro.push(t('report.introLate'))
  const out: OutboundMessage[] = [{ text: intro.join('\n') }]
  const bad = quick && unreadableMessage(ctx, quick)
  if (bad) out.push(bad)
  out.push(await nextStep(ctx, period, quick?.draft ?? {}))
  return out
}

const report: Command = {
  names: ['baocao', 'report'],
  async run(ctx, args) {
    const refused = await refusal(ctx)
    if (refused) return refused
    const { t, now } = ctx
    const { unit } = ctx.linked!
    const quick = args.trim() ? parseQuickReport(args) : undefined
    const standings = await standingsFor(ctx.deps.db, unit, now, tz(ctx))
    const open = standings.filter((s) => s.kind === 'open')
    if (open.length === 1) return begin(ctx, open[0]!.period, quick)
    if (open.length > 1) {
      await ctx.setConversation({ flow: FLOW, step: 'pickPeriod', data: { draft: quick?.draft ?? {}, unreadable: quick?.unreadable ?? [] } })
      return pickPeriod(ctx, open.map((s) => s.period))
    }
    await ctx.clearConversation()
    const closed = standings.find((s) => s.kind === 'correctionClosed')
    if (closed?.kind === 'correctionClosed') {
      return {
        text: t('report.correctionClosed', {
          period: closed.period.name,
          unit: unit.name,
          time: formatDateTime(closed.submittedAt, tz(ctx)),
          date: formatDateTime(closed.period.dueAt, tz(ctx)),
        }),
      }
    }
    return { text: t('report.noOpenPeriod', { unit: unit.name }) }
  },
}

function pickPeriod(ctx: HandlerContext, periods: ReportPeriodRow[], prefix?: string): OutboundMessage {
  const { t } = ctx
  const ask = t('report.pickPeriod', { unit: ctx.linked!.unit.name, count: periods.length })
  return {
    text: prefix ? `${prefix}\n${ask}` : ask,
    choices: periods.map((p) => ({
      id: choiceIds.report.start(p.id),
      label: t('report.periodChoice', { period: p.name, date: formatDate(p.dueAt, tz(ctx)) }),
    })),
  }
}

function flowData(ctx: HandlerContext): FlowData | null {
  const state = ctx.conversation
  if (state?.flow !== FLOW) return null
  return state.data as unknown as FlowData
}

/** choiceIds.report (rp:<periodId>:start|confirm|redo|cancel): reminder buttons, the period pick, and the summary's choices. */
const choices: ChoiceHandler = {
  prefix: choiceIds.report.prefix,
  async run(ctx, choiceId) {
    const { periodId, action } = choiceIds.report.parse(choiceId) ?? { periodId: null, action: undefined }
    const { t } = ctx
    if (action === 'cancel') {
      await ctx.clearConversation()
      return { text: t('report.cancelled') }
    }
    const refused = await refusal(ctx)
    if (refused) return refused
    const period = periodId !== null ? await findDuePeriod(ctx.deps.db, periodId, tz(ctx)) : undefined
    if (!period) return { text: t('report.periodGone') }
    const data = flowData(ctx)

    if (action === 'start') {
      // A pick after the one-message form keeps what was read from it.
      const pending = ctx.conversation?.step === 'pickPeriod' && data ? (data as FlowData & { unreadable?: QuickParse['unreadable'] }) : null
      return begin(ctx, period, pending ? { draft: pending.draft, unreadable: pending.unreadable ?? [] } : undefined)
    }
    if (action === 'redo') {
      if (!data || data.periodId !== period.id) return { text: t('report.nothingToConfirm') }
      return begin(ctx, period)
    }
    if (action === 'confirm') {
      if (!data || data.periodId !== period.id || ctx.conversation?.step !== 'confirm' || missingFields(data.draft).length)
        return { text: t('report.nothingToConfirm') }
      const { unit, person } = ctx.linked!
      const result = await submitReport(ctx.deps.db, {
        period,
        unitId: unit.id,
        personId: person.id,
        channel: ctx.event.channel,
        draft: data.draft as Required<ReportDraft>,
        now: ctx.now,
      })
      await ctx.clearConversation()
      const date = formatDateTime(period.dueAt, tz(ctx))
      if (result.status === 'closed') return { text: t('report.periodGone') }
      if (result.status === 'correctionClosed') {
        return {
          text: t('report.correctionClosed', {
            period: period.name,
            unit: unit.name,
            time: formatDateTime(result.submittedAt, tz(ctx)),
            date,
          }),
        }
      }
      const params = { period: period.name, unit: unit.name, time: formatDateTime(result.report.submittedAt, tz(ctx)), date }
      if (result.report.late) return { text: t('report.savedLate', params) }
      if (result.report.version > 1) return { text: t('report.savedCorrection', { ...params, version: result.report.version }) }
      return { text: t('report.saved', params) }
    }
    return { text: t('common.unknown') }
  },
}

const flow: Flow = {
  name: FLOW,
  async onText(ctx, text) {
    const state = ctx.conversation!
    const data = flowData(ctx)!
    const { t } = ctx
    if (state.step === 'pickPeriod') {
      const standings = await standingsFor(ctx.deps.db, ctx.linked!.unit, ctx.now, tz(ctx))
      const open = standings.filter((s) => s.kind === 'open').map((s) => s.period)
      if (open.length === 0) {
        await ctx.clearConversation()
        return { text: t('report.noOpenPeriod', { unit: ctx.linked!.unit.name }) }
      }
      return pickPeriod(ctx, open, t('report.pickOne'))
    }
    const period = data.periodId ? await findDuePeriod(ctx.deps.db, data.periodId, tz(ctx)) : undefined
    if (!period) {
      await ctx.clearConversation()
      return { text: t('report.periodGone') }
    }
    if (state.step === 'confirm') {
      return [{ text: t('report.pickOne') }, summary(ctx, period, data.draft)]
    }
    const field = state.step as ReportField
    const value = readField(field, text)
    if (value === null) {
      const answer = text.length > 40 ? `${text.slice(0, 40)}…` : text
      if (field === 'difficulties') return { text: t('report.badText') }
      return { text: t(field === 'briefedPercent' ? 'report.badPercent' : 'report.badCount', { answer }) }
    }
    return nextStep(ctx, period, { ...data.draft, [field]: value })
  },
}

export const reportFeature: Feature = { commands: [report], choices: [choices], flows: [flow] }
