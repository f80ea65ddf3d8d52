import type { Locale } from '#db/schema/index.js'
import type { ChoiceHandler, Command, Feature, HandlerContext } from '#src/core/handler.js'
import { languages, normalize } from '#src/i18n.js'
import { choiceIds } from '#src/core/choice-ids.js'

const aliases: Record<string, Locale> = {
  vi: 'vi', viet: 'vi', tiengviet: 'vi', vietnamese: 'vi',
  en: 'en', eng: 'en', english: 'en', tienganh: 'en', anh: 'en',
}

async function switchTo(ctx: HandlerContext, locale: Locale) {
  await ctx.setLocale(locale)
  return { text: ctx.t('language.changed') }
}

const language: Command = {
  names: ['ngonngu', 'lang', 'language'],
  requiresLink: false,
  async run(ctx, args) {
    const wanted = aliases[normalize(args).replace(/\s/g, '')]
    if (wanted) return switchTo(ctx, wanted)
    return {
      text: ctx.t('language.ask'),
      choices: languages.map((l) => ({ id: choiceIds.language.of(l), label: ctx.t(`language.${l}`) })),
    }
  },
}

const pick: ChoiceHandler = {
  prefix: choiceIds.language.prefix,
  requiresLink: false,
  async run(ctx, choiceId) {
    const wanted = choiceIds.language.parse(choiceId)
    if (wanted === null || !(languages as readonly string[]).includes(wanted)) return { text: ctx.t('common.unknown') }
    return switchTo(ctx, wanted as Locale)
  },
}

export const languageFeature: Feature = { commands: [language], choices: [pick] }
