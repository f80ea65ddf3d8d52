import { parseCommand } from '#src/core/commands.js'
import type { Command, Feature, Flow, HandlerContext, Reply } from '#src/core/handler.js'
import { checkInFromChat } from '#src/domain/attendance/code-guard.js'
import { formatDateTime } from '#src/i18n.js'

const FLOW = 'checkin'
const CHECKIN_NAMES: ReadonlySet<string> = new Set(['diemdanh', 'checkin'])

/** Checks the person in with a code; an unknown code keeps the flow so they can type it again. */
async function attempt(ctx: HandlerContext, code: string): Promise<Reply> {
  const { t, deps } = ctx
  const tz = deps.config.timezone
  const result = await checkInFromChat(deps.db, {
    code,
    personId: ctx.linked!.person.id,
    channel: ctx.event.channel,
    chatId: ctx.event.chatId,
    now: ctx.now,
  })
  if (result.status === 'throttled') {
    if (ctx.conversation?.flow === FLOW) await ctx.clearConversation()
    return { text: t('checkin.throttled', { time: formatDateTime(result.retryAt, tz) }) }
  }
  if (result.status === 'unknown') {
    await ctx.setConversation({ flow: FLOW, step: 'code', data: {} })
    return { text: t('checkin.unknownCode', { code: code.trim().slice(0, 30) }) }
  }
  if (ctx.conversation?.flow === FLOW) await ctx.clearConversation()
  const s = result.session
  switch (result.status) {
    case 'checked_in':
      return {
        text: t('checkin.confirmed', {
          title: s.title,
          kind: t(`checkin.kind.${s.kind}`),
          from: formatDateTime(s.opensAt, tz),
          to: formatDateTime(s.closesAt, tz),
          at: formatDateTime(result.at, tz),
        }),
      }
    case 'already':
      return { text: t('checkin.already', { title: s.title, at: formatDateTime(result.at, tz) }) }
    case 'not_open':
      // Not its title: whoever guessed the code learns no more than that it opens later.
      return { text: t('checkin.codeNotOpen', { at: formatDateTime(s.opensAt, tz) }) }
    case 'closed':
      return { text: t('checkin.closed', { title: s.title, at: formatDateTime(s.closesAt, tz) }) }
  }
}

/** `/diemdanh NQ71-4821`, `/checkin …`, or on Zalo "diem danh nq71-4821"; without a code, the code is asked for. */
const diemdanh: Command = {
  names: [...CHECKIN_NAMES],
  async run(ctx, args) {
    if (args.trim()) return attempt(ctx, args)
    await ctx.setConversation({ flow: FLOW, step: 'code', data: {} })
    return { text: ctx.t('checkin.askCode') }
  },
}

const askCode: Flow = {
  name: FLOW,
  async onText(ctx, text) {
    if (!ctx.linked) {
      await ctx.clearConversation()
      return { text: ctx.t('common.notLinked') }
    }
    // Asked for the code, people often type the whole command again: "Điểm danh NQ71-9740".
    const again = parseCommand(text, CHECKIN_NAMES)
    return attempt(ctx, again?.args.trim() ? again.args : text)
  },
}

export const checkinFeature: Feature = { commands: [diemdanh], flows: [askCode] }
