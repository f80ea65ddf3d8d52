import type { Role } from '#db/schema/index.js'
import type { Command, Feature, HandlerContext } from '#src/core/handler.js'
import type { OutboundMessage } from '#src/core/events.js'
import type { MessageKey } from '#src/i18n.js'

/**
 * Help lines each feature adds, shown to people holding one of `roles` (all when absent).
 * Features append here so /huongdan always lists what the person can really do.
 */
export const helpLines: { key: MessageKey; roles?: readonly Role[] }[] = [
  { key: 'help.help' },
  { key: 'help.language' },
  { key: 'link.help' },
  { key: 'report.help', roles: ['focal_point', 'admin'] },
  { key: 'report.helpQuick', roles: ['focal_point', 'admin'] },
  { key: 'criteria.chat.help', roles: ['focal_point', 'admin'] },
  { key: 'help.cancel' },
  { key: 'quiz.help' },
  { key: 'poll.help' },
  { key: 'checkin.help' },
  { key: 'ask.help' },
  { key: 'misinfo.help' },
  { key: 'lookup.help' },
  { key: 'broadcast.helpAck' },
  { key: 'relay.help', roles: ['focal_point'] },
  { key: 'ask.ward.help', roles: ['focal_point'] },
  { key: 'broadcast.helpAnnounce', roles: ['admin'] },
]

export function menuFor(ctx: HandlerContext, roles: readonly Role[]): OutboundMessage {
  const { t } = ctx
  const lines = helpLines.filter((l) => !l.roles || l.roles.some((r) => roles.includes(r))).map((l) => t(l.key))
  const parts = [t('help.title'), ...lines]
  if (ctx.event.channel !== 'telegram') parts.push('', t('help.zaloNote'))
  return { text: parts.join('\n') }
}

const help: Command = {
  names: ['huongdan', 'help', 'trogiup', 'menu'],
  requiresLink: false,
  inGroups: true,
  async run(ctx) {
    if (!ctx.linked) {
      const { t } = ctx
      const parts = [t('common.notLinked'), '', t('help.title'), t('help.start'), t('help.help'), t('help.language'), t('lookup.help'), t('subscribers.help'), t('poll.help'), t('misinfo.help')]
      if (ctx.event.channel !== 'telegram') parts.push('', t('help.zaloNote'))
      return { text: parts.join('\n') }
    }
    const menu = menuFor(ctx, ctx.linked.person.roles)
    return [{ text: ctx.t('help.linkedAs', { name: ctx.linked.person.fullName, unit: ctx.linked.unit.name }) }, menu]
  },
}

export const helpFeature: Feature = { commands: [help] }
