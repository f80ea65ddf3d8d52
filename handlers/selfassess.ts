import type { CriteriaSetRow } from '#db/schema/index.js'
import type { OutboundMessage } from '#src/core/events.js'
import type { ChoiceHandler, Command, Feature, Flow, HandlerContext, Reply } from '#src/core/handler.js'
import { choiceIds } from '#src/core/choice-ids.js'
import { manualCriteriaFor, openSet } from '#src/domain/criteria/chat.js'
import { selfAssessmentSchema, type Criterion } from '#src/domain/criteria/set.js'
import { selfAssess } from '#src/domain/criteria/workflow.js'
import { AppError } from '#src/errors.js'
import { normalize } from '#src/i18n.js'

/**
 * The criteria self-assessment in chat: /tudanhgia → one manual criterion a message (points, then
 * evidence links) → a summary → confirm. The answers live in the conversation state; only the
 * confirmation writes, through the same domain function (and checks) as PUT /api/criteria/…/self/….
 */
const FLOW = 'selfAssess'
interface Answer {
  code: string
  points: number | null
  evidence: string[]
}
interface FlowData {
  year: number
  answers: Answer[]
}

const SKIP = new Set(['bo qua', 'skip'])
const URL_RE = /https?:\/\/[^\s<>"]+/g

function isFocalPoint(ctx: HandlerContext) {
  const { roles } = ctx.linked!.person
  return roles.includes('focal_point') || roles.includes('admin')
}

/** The open set and this unit's manual criteria, or the message saying why there is nothing to do. */
async function loadSet(ctx: HandlerContext, year?: number): Promise<{ row: CriteriaSetRow; criteria: Criterion[] } | OutboundMessage> {
  const row = await openSet(ctx.deps.db, ctx.now)
  if (!row || (year !== undefined && row.year !== year)) return { text: ctx.t('criteria.chat.noOpenSet') }
  const { unit } = ctx.linked!
  const criteria = manualCriteriaFor(row, unit.kind)
  if (criteria.length === 0) return { text: ctx.t('criteria.chat.noManual', { year: row.year, unit: unit.name }) }
  return { row, criteria }
}

function askPoints(ctx: HandlerContext, criteria: Criterion[], index: number): OutboundMessage {
  const c = criteria[index]!
  return { text: ctx.t('criteria.chat.askPoints', { index: index + 1, count: criteria.length, code: c.code, title: c.title, max: c.maxPoints }) }
}

/** Saves the answers so far and asks the next question (or shows the summary when all are answered). */
async function nextStep(ctx: HandlerContext, criteria: Criterion[], data: FlowData): Promise<OutboundMessage> {
  const index = data.answers.length
  if (index < criteria.length) {
    await ctx.setConversation({ flow: FLOW, step: 'points', data: { ...data } })
    return askPoints(ctx, criteria, index)
  }
  await ctx.setConversation({ flow: FLOW, step: 'confirm', data: { ...data } })
  return summary(ctx, criteria, data)
}

function summary(ctx: HandlerContext, criteria: Criterion[], data: FlowData): OutboundMessage {
  const { t } = ctx
  const lines = data.answers.map((a) => {
    const c = criteria.find((x) => x.code === a.code)!
    if (a.points === null) return t('criteria.chat.lineSkipped', { code: c.code, title: c.title })
    return t('criteria.chat.line', { code: c.code, title: c.title, points: a.points, max: c.maxPoints, links: a.evidence.length })
  })
  return {
    text: t('criteria.chat.summary', { year: data.year, unit: ctx.linked!.unit.name, lines: lines.join('\n') }),
    choices: [
      { id: choiceIds.selfAssess.confirm, label: t('criteria.chat.confirm') },
      { id: choiceIds.selfAssess.redo, label: t('criteria.chat.redo') },
      { id: choiceIds.selfAssess.cancel, label: t('criteria.chat.cancel') },
    ],
  }
}

async function begin(ctx: HandlerContext): Promise<Reply> {
  const { unit } = ctx.linked!
  if (!isFocalPoint(ctx)) return { text: ctx.t('criteria.chat.notFocalPoint', { unit: unit.name }) }
  const loaded = await loadSet(ctx)
  if (!('row' in loaded)) {
    await ctx.clearConversation()
    return loaded
  }
  const { row, criteria } = loaded
  const intro = { text: ctx.t('criteria.chat.intro', { year: row.year, unit: unit.name, count: criteria.length }) }
  return [intro, await nextStep(ctx, criteria, { year: row.year, answers: [] })]
}

const command: Command = {
  names: ['tudanhgia', 'selfassess'],
  run: (ctx) => begin(ctx),
}

function flowData(ctx: HandlerContext): FlowData | null {
  return ctx.conversation?.flow === FLOW ? (ctx.conversation.data as unknown as FlowData) : null
}

/** Points for the current criterion: a number within its maximum (the API's overMax check, early), or "bỏ qua". */
async function onPoints(ctx: HandlerContext, criteria: Criterion[], data: FlowData, text: string): Promise<OutboundMessage> {
  const c = criteria[data.answers.length]!
  if (SKIP.has(normalize(text))) return nextStep(ctx, criteria, { ...data, answers: [...data.answers, { code: c.code, points: null, evidence: [] }] })
  const answer = text.trim()
  if (!/^\d{1,4}([.,]\d{1,2})?$/.test(answer)) return { text: ctx.t('criteria.chat.badPoints', { answer: answer.slice(0, 40), max: c.maxPoints }) }
  const points = Number(answer.replace(',', '.'))
  if (points > c.maxPoints) return { text: ctx.t('criteria.errors.overMax', { code: c.code, points, max: c.maxPoints }) }
  if (points === 0) return nextStep(ctx, criteria, { ...data, answers: [...data.answers, { code: c.code, points, evidence: [] }] })
  await ctx.setConversation({ flow: FLOW, step: 'evidence', data: { ...data, points } })
  return { text: ctx.t('criteria.chat.askEvidence', { code: c.code }) }
}

/** Evidence links for points above 0: at least one http(s) link, checked by the API's schema. */
async function onEvidence(ctx: HandlerContext, criteria: Criterion[], data: FlowData & { points: number }, text: string): Promise<OutboundMessage> {
  const c = criteria[data.answers.length]!
  const links = [...new Set(text.match(URL_RE) ?? [])]
  if (links.length === 0) return { text: ctx.t('criteria.errors.needsEvidence', { code: c.code }) }
  const parsed = selfAssessmentSchema.safeParse({ points: data.points, evidence: links })
  if (!parsed.success) return { text: ctx.t('criteria.errors.invalidSelf') }
  const { year, answers } = data
  return nextStep(ctx, criteria, { year, answers: [...answers, { code: c.code, points: data.points, evidence: parsed.data.evidence }] })
}

const flow: Flow = {
  name: FLOW,
  async onText(ctx, text) {
    const data = flowData(ctx)!
    const loaded = await loadSet(ctx, data.year)
    if (!('row' in loaded)) {
      await ctx.clearConversation()
      return loaded
    }
    const { criteria } = loaded
    const step = ctx.conversation!.step
    if (step === 'confirm') return [{ text: ctx.t('criteria.chat.pickOne') }, summary(ctx, criteria, data)]
    if (step === 'evidence') return onEvidence(ctx, criteria, data as FlowData & { points: number }, text)
    return onPoints(ctx, criteria, data, text)
  },
}

/** Writes every answered criterion through selfAssess; a refusal (window closed, over the maximum) is said as the API says it. */
async function confirm(ctx: HandlerContext, data: FlowData): Promise<OutboundMessage> {
  const { unit } = ctx.linked!
  const answered = data.answers.filter((a): a is Answer & { points: number } => a.points !== null)
  await ctx.clearConversation()
  if (answered.length === 0) return { text: ctx.t('criteria.chat.nothingToSave') }
  try {
    for (const a of answered) await selfAssess(ctx.deps.db, data.year, unit.code, a.code, { points: a.points, evidence: a.evidence }, ctx.now)
  } catch (err) {
    if (err instanceof AppError) return { text: ctx.t(err.key, err.params) }
    throw err
  }
  return { text: ctx.t('criteria.chat.saved', { count: answered.length, unit: unit.name, year: data.year }) }
}

/** choiceIds.selfAssess (sa:start|confirm|redo|cancel): the reminder's button and the summary's choices. */
const choices: ChoiceHandler = {
  prefix: choiceIds.selfAssess.prefix,
  async run(ctx, choiceId) {
    const action = choiceIds.selfAssess.parse(choiceId)
    if (action === 'cancel') {
      await ctx.clearConversation()
      return { text: ctx.t('criteria.chat.cancelled') }
    }
    if (action === 'start' || action === 'redo') return begin(ctx)
    const data = flowData(ctx)
    if (action !== 'confirm' || !data || ctx.conversation?.step !== 'confirm') return { text: ctx.t('criteria.chat.nothingToConfirm') }
    return confirm(ctx, data)
  },
}

export const selfAssessFeature: Feature = { commands: [command], choices: [choices], flows: [flow] }
