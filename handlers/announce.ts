import type { Choice } from '#src/core/events.js'
import type { ChoiceHandler, Command, Feature, Flow, HandlerContext, Reply } from '#src/core/handler.js'
import type { Audience } from '#src/domain/audience.js'
import { MAX_BODY_LENGTH, MAX_TITLE_LENGTH } from '#src/domain/broadcast/schemas.js'
import { createBroadcast, previewAudience } from '#src/domain/broadcast/service.js'
import { choiceIds } from '#src/core/choice-ids.js'

/**
 * /thongbao (/announce): an admin sends an announcement from the chat. Text first (first line =
 * title), then the audience (their own unit tree by default), then a confirmation that shows how
 * many people it will reach. Nothing is queued before "Gửi ngay".
 */
const FLOW = 'announce'

interface Draft {
  title: string
  body: string
  audienceKey?: string
}

const isAdmin = (ctx: HandlerContext) => Boolean(ctx.linked?.person.roles.includes('admin'))

const audienceKeys = ['own', 'all', 'role:manager', 'role:focal_point', 'role:teacher'] as const
type AudienceKey = (typeof audienceKeys)[number]

function audienceOf(ctx: HandlerContext, key: AudienceKey): Audience {
  const base: Audience = { unitCodes: [], includeSubunits: true, roles: [], platforms: [] }
  if (key === 'own') return { ...base, unitCodes: [ctx.linked!.unit.code] }
  if (key.startsWith('role:')) return { ...base, roles: [key.slice(5) as Audience['roles'][number]] }
  return base
}

function audienceLabel(ctx: HandlerContext, key: AudienceKey): string {
  const { t } = ctx
  switch (key) {
    case 'own':
      return t('broadcast.announce.audienceOwn', { unit: ctx.linked!.unit.name })
    case 'all':
      return t('broadcast.announce.audienceAll')
    case 'role:manager':
      return t('broadcast.announce.audienceManagers')
    case 'role:focal_point':
      return t('broadcast.announce.audienceFocal')
    case 'role:teacher':
      return t('broadcast.announce.audienceTeachers')
  }
}

function audienceChoices(ctx: HandlerContext): Choice[] {
  return audienceKeys.map((k) => ({ id: choiceIds.announce.audience(k), label: audienceLabel(ctx, k) }))
}

const displayTitle = (ctx: HandlerContext, d: Draft) => d.title || d.body.slice(0, 60) || ctx.t('broadcast.untitled')

async function askConfirm(ctx: HandlerContext, draft: Draft, key: AudienceKey): Promise<Reply> {
  const { t } = ctx
  const counts = await previewAudience(ctx.deps.db, audienceOf(ctx, key))
  const label = audienceLabel(ctx, key)
  if (counts.recipients === 0) {
    await ctx.setConversation({ flow: FLOW, step: 'audience', data: { ...draft } })
    return { text: t('broadcast.announce.confirmNone', { audience: label }), choices: audienceChoices(ctx) }
  }
  await ctx.setConversation({ flow: FLOW, step: 'confirm', data: { ...draft, audienceKey: key } })
  return {
    text: t('broadcast.announce.confirm', {
      title: displayTitle(ctx, draft),
      recipients: counts.recipients,
      unreachable: counts.unreachable,
      audience: label,
    }),
    choices: [
      { id: choiceIds.announce.send, label: t('broadcast.announce.send') },
      { id: choiceIds.announce.cancel, label: t('broadcast.announce.cancel') },
    ],
  }
}

const announce: Command = {
  names: ['thongbao', 'announce'],
  async run(ctx) {
    if (!isAdmin(ctx)) return { text: ctx.t('broadcast.announce.adminOnly') }
    await ctx.setConversation({ flow: FLOW, step: 'text', data: {} })
    return { text: ctx.t('broadcast.announce.askText') }
  },
}

const flow: Flow = {
  name: FLOW,
  async onText(ctx, text) {
    const { t } = ctx
    if (!isAdmin(ctx)) {
      await ctx.clearConversation()
      return { text: t('broadcast.announce.adminOnly') }
    }
    const state = ctx.conversation!
    const draft = state.data as unknown as Draft
    if (state.step === 'text') {
      const trimmed = text.trim()
      if (!trimmed) return { text: t('broadcast.announce.textEmpty') }
      if (trimmed.length > MAX_BODY_LENGTH) {
        return { text: t('broadcast.announce.textTooLong', { length: trimmed.length, max: MAX_BODY_LENGTH }) }
      }
      const [first, ...rest] = trimmed.split('\n')
      const body = rest.join('\n').trim()
      const next: Draft = body
        ? { title: first!.trim().slice(0, MAX_TITLE_LENGTH), body }
        : { title: '', body: trimmed }
      await ctx.setConversation({ flow: FLOW, step: 'audience', data: { ...next } })
      return { text: t('broadcast.announce.askAudience'), choices: audienceChoices(ctx) }
    }
    if (state.step === 'audience') {
      return { text: t('broadcast.announce.pickAudience'), choices: audienceChoices(ctx) }
    }
    // At the confirmation, anything typed that is not a choice shows the question again.
    return askConfirm(ctx, draft, (draft.audienceKey as AudienceKey | undefined) ?? 'own')
  },
}

const choices: ChoiceHandler = {
  prefix: choiceIds.announce.prefix,
  async run(ctx, choiceId) {
    const { t } = ctx
    const state = ctx.conversation
    if (!isAdmin(ctx)) return { text: t('broadcast.announce.adminOnly') }
    if (state?.flow !== FLOW) return { text: t('broadcast.announce.stale') }
    const draft = state.data as unknown as Draft
    const choice = choiceIds.announce.parse(choiceId)
    if (choice?.action === 'audience' && state.step === 'audience') {
      const key = choice.key as AudienceKey
      if (!audienceKeys.includes(key)) return { text: t('broadcast.announce.pickAudience'), choices: audienceChoices(ctx) }
      return askConfirm(ctx, draft, key)
    }
    if (choice?.action === 'cancel') {
      await ctx.clearConversation()
      return { text: t('broadcast.announce.cancelled') }
    }
    if (choice?.action === 'send' && state.step === 'confirm') {
      await ctx.clearConversation()
      const key = (draft.audienceKey as AudienceKey | undefined) ?? 'own'
      const { broadcast, counts } = await createBroadcast(
        ctx.deps.db,
        {
          kind: 'announcement',
          title: draft.title,
          body: draft.body,
          audience: audienceOf(ctx, key),
          requireAck: true,
        },
        { now: ctx.now, createdBy: ctx.linked!.person.id, horizonMs: ctx.deps.config.deliveryHorizonHours * 3_600_000 },
      )
      return { text: t('broadcast.announce.queued', { id: broadcast.id, recipients: counts.recipients }) }
    }
    return { text: t('broadcast.announce.stale') }
  },
}

export const announceFeature: Feature = { commands: [announce], flows: [flow], choices: [choices] }
