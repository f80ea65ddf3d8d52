import type { Command, Feature, HandlerContext, TextHandler } from '#src/core/handler.js'
import { findPersonWithUnit } from '#src/domain/directory/people.js'
import { looksLikeInviteCode, redeemInvite } from '#src/domain/directory/invites.js'
import { announceLink, warnCodeReused } from '#src/domain/directory/links.js'
import { formatDate, formatDateTime } from '#src/i18n.js'
import { endSubscriberOnLink } from '#src/domain/subscribers.js'
import { menuFor } from './help.js'
import { asSubscriber, subscribe, SUBSCRIBE_START, withNotice } from './public.js'

/** Links a chat to a person with an invite code: `/start K7M4-Q2XP`, the Telegram deep link, or the bare code. */
async function link(ctx: HandlerContext, code: string) {
  const { t, event, deps } = ctx
  if (!event.isPrivate) return { text: t('start.privateOnly') }
  const result = await redeemInvite(deps.db, { code, channel: event.channel, chatId: event.chatId, now: ctx.now })
  switch (result.status) {
    case 'invalid':
      return { text: t('start.codeInvalid', { code: code.slice(0, 20) }) }
    case 'throttled':
      return { text: t('start.tooManyTries', { time: formatDateTime(result.retryAt, deps.config.timezone) }) }
    case 'used':
      // The owner hears that someone else tried their code; nothing else changes.
      await warnCodeReused(deps.db, {
        inviteId: result.inviteId,
        personId: result.personId,
        channel: event.channel,
        chatId: event.chatId,
        now: ctx.now,
        timeZone: deps.config.timezone,
      })
      return { text: t('start.codeUsed') }
    case 'superseded':
      return { text: t('start.codeSuperseded') }
    case 'admin_code_required':
      return { text: t('start.adminCodeRequired') }
    case 'expired':
      return { text: t('start.codeExpired', { date: formatDate(result.expiredAt, deps.config.timezone) }) }
    case 'chat_taken': {
      const other = await findPersonWithUnit(deps.db, result.otherPersonId)
      return { text: t('start.chatTaken', { name: other?.person.fullName ?? '?' }) }
    }
    case 'already_linked':
    case 'linked': {
      const found = await findPersonWithUnit(deps.db, result.personId)
      if (!found) return { text: t('common.error') }
      if (result.status === 'linked') {
        // A chat that wrote before as a subscriber (a parent, a citizen) is staff from now on.
        await endSubscriberOnLink(deps.db, event.channel, event.chatId)
        // The person's other chats hear of the new one, with a one-step undo.
        await announceLink(deps.db, {
          personId: result.personId,
          linkId: result.linkId,
          channel: event.channel,
          chatId: event.chatId,
          replaced: result.replaced,
          now: ctx.now,
          timeZone: deps.config.timezone,
        })
      }
      await ctx.setLocale(found.person.locale)
      const t2 = ctx.t
      const greeting =
        result.status === 'linked'
          ? t2('start.welcome', { name: found.person.fullName, unit: found.unit.name, channel: t2(`channel.${event.channel}`) })
          : t2('start.welcomeBack', { name: found.person.fullName, unit: found.unit.name })
      return [{ text: greeting }, menuFor(ctx, found.person.roles)]
    }
  }
}

const start: Command = {
  names: ['start', 'batdau'],
  requiresLink: false,
  async run(ctx, args) {
    const code = args.trim()
    // The deep link on /theo-doi: Start opens the choice of a ward, as /dangky does.
    if (code === SUBSCRIBE_START && ctx.event.isPrivate) return subscribe(ctx, '')
    if (code) return link(ctx, code)
    if (ctx.linked) return { text: ctx.t('start.welcomeBack', { name: ctx.linked.person.fullName, unit: ctx.linked.unit.name }) }
    // A parent or citizen pressing Start: the public welcome (which also tells staff to send their code).
    if (ctx.event.isPrivate) {
      const turn = await asSubscriber(ctx)
      if ('refused' in turn) return turn.refused
      return withNotice({ text: ctx.t('subscribers.welcome') }, turn.notice)
    }
    return { text: ctx.t('start.askCode') }
  },
}

/** On Zalo people simply send the code they were given. */
const bareCode: TextHandler = {
  name: 'invite-code',
  async run(ctx, text) {
    if (!looksLikeInviteCode(text)) return null
    return link(ctx, text)
  },
}

export const startFeature: Feature = { commands: [start], text: [bareCode] }
