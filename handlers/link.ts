import type { ChatLinkRow } from '#db/schema/index.js'
import type { ChoiceHandler, Command, Feature, HandlerContext, TextHandler } from '#src/core/handler.js'
import { issueSelfInvite, linksOnlyByAdminCode } from '#src/domain/directory/invites.js'
import { accessLines, lastSentIsAnnouncement, latestNewerLink, maskChatId, undoLink } from '#src/domain/directory/links.js'
import { formatDateTime, normalize } from '#src/i18n.js'
import { choiceIds } from '#src/core/choice-ids.js'

/**
 * /lienket: a fresh one-time code, asked for from a chat already linked, to link the person's other
 * messenger (or a new phone). People with the admin role or a console account get none: only an
 * admin's code links them.
 */
const linkCommand: Command = {
  names: ['lienket', 'link'],
  async run(ctx) {
    const { t, deps } = ctx
    const linked = ctx.linked!
    if (linksOnlyByAdminCode(linked.person)) return { text: t('link.adminOnlyByAdmin') }
    const invite = await issueSelfInvite(deps.db, linked.person.id, ctx.now)
    const deepLink = deps.channels.telegram?.deepLink?.(invite.code)
    const lines = [
      t('link.code', { code: invite.code, time: formatDateTime(invite.expiresAt, deps.config.timezone) }),
      deepLink ? t('link.howTelegramLink', { link: deepLink }) : t('link.howTelegram', { code: invite.code }),
      t('link.howZalo', { code: invite.code }),
    ]
    return { text: lines.join('\n') }
  },
}

async function undo(ctx: HandlerContext, presser: ChatLinkRow, linkId: number) {
  const { t } = ctx
  const result = await undoLink(ctx.deps.db, presser, linkId, ctx.now)
  if (result.status === 'gone') return { text: t('link.undoGone') }
  if (result.status === 'refused') return { text: t('link.undoRefused') }
  const undone = t('link.undone', { channel: t(`channel.${result.link.channel}`), chat: maskChatId(result.link.chatId) })
  return { text: [undone, ...accessLines(ctx.locale, result.link.access)].join('\n') }
}

/** "Không phải tôi" under a link announcement: `unlink:<id of the new link>`. */
const undoChoice: ChoiceHandler = {
  prefix: choiceIds.unlink.prefix,
  async run(ctx, choiceId) {
    const id = choiceIds.unlink.parse(choiceId)
    if (id === null) return { text: ctx.t('link.undoGone') }
    const presser = ctx.linked!.link
    // A typed "1" (Zalo) counts only right after the announcement; the words themselves always do.
    const typed = !ctx.event.choiceId && !NOT_ME.has(words(ctx.event.text))
    if (typed && !(await lastSentIsAnnouncement(ctx.deps.db, presser, id))) return { text: ctx.t('link.undoTypeWords') }
    return undo(ctx, presser, id)
  },
}

const NOT_ME = new Set(['khong phai toi', 'khongphaitoi', 'not me', 'it was not me', 'it wasnt me'])
const words = (text: string) => normalize(text).replace(/[^a-z ]/g, '').replace(/\s+/g, ' ').trim()

/**
 * The words typed without the number, or after another message took the numbered choices: they undo
 * the person's newest chat linked after this one in the last week. Otherwise they mean nothing here.
 */
const undoText: TextHandler = {
  name: 'link-undo',
  async run(ctx, text) {
    if (!ctx.linked) return null
    if (!NOT_ME.has(words(text))) return null
    const target = await latestNewerLink(ctx.deps.db, ctx.linked.link, ctx.now)
    if (!target) return null
    return undo(ctx, ctx.linked.link, target.id)
  },
}

export const linkFeature: Feature = { commands: [linkCommand], choices: [undoChoice], text: [undoText] }
