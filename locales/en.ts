import { glossary } from './glossary.js'
import { page } from './page.js'
import { publicLink } from './public-link.js'
import { checkin } from './checkin.js'
import { quiz } from './quiz.js'
import { poll } from './poll.js'
import { misinfo } from './misinfo.js'
import { broadcast } from './broadcast.js'
import { api } from './api.js'
import { cli } from './cli.js'
import { ask } from './ask.js'
import { subscribers } from './subscribers.js'
import { consoleInbox, inbox } from './inbox.js'
import { link } from './link.js'
import { directory } from './directory.js'
import { consoleDirectory } from './console-directory.js'
import { web } from './web.js'
import { summary } from './summary.js'
import { consoleReach } from './console-reach.js'
import { consoleContent } from './console-content.js'
import { consolePeriods, consoleQuestions } from './console-periods.js'
import { consoleMisinfo, misinfoPage, misinfoSheet } from './misinfo-web.js'
import { consoleAuth } from './console-auth.js'
import { consoleOverview } from './console-overview.js'
import { channels } from './channels.js'
import { consoleChannels } from './console-channels.js'
import { calendar } from './calendar.js'
import { library } from './library.js'
import { libraryWeb } from './library-web.js'
import { consoleSuggest, lookup } from './lookup.js'
import { exportsText } from './exports.js'
import { criteria } from './criteria.js'
import { results } from './results.js'
import { backup } from './backup.js'
import type { Catalog } from './vi.js'
import { report } from './report.js'
import { relay } from './relay.js'

export const en = {
  checkin: checkin.en,
  quiz: quiz.en,
  poll: poll.en,
  misinfo: misinfo.en,
  common: {
    error: 'Sorry, something went wrong on our side. Please try again in a few minutes.',
    unknown: "I did not understand that message. Send /help to see what you can do.",
    notLinked:
      'This chat is not linked to the Department of Education and Training directory yet. Please send the invite code your unit gave you, for example: K7M4-Q2XP',
    groupOnly: 'Please message the bot privately to use this.',
    flowExpired: 'Your previous conversation was cancelled after a day without an answer. You can start again.',
    cancelled: 'Cancelled.',
    nothingToCancel: 'There is nothing to cancel.',
    yes: 'Yes',
    no: 'No',
    choiceHintZalo: 'Reply with the number (1, 2, …) or the text of your choice.',
    unsupported: 'The bot can only read text messages. Please type your answer.',
    slowDown:
      'You are sending too many messages in one minute. They are all recorded, but the bot will answer again once this minute is over. Please slow down a little.',
  },
  start: {
    welcome:
      'Hello {name}! Your {channel} account is now linked to {unit}.\nYou will receive official information about Resolution 71-NQ/TW here.',
    welcomeBack: 'Hello {name}, this chat is already linked to {unit}.',
    askCode:
      'Hello! To receive information about Resolution 71, please send the invite code your unit gave you, for example: /start K7M4-Q2XP',
    codeInvalid: 'The invite code "{code}" is not valid. Please check it (8 characters, e.g. K7M4-Q2XP) or ask your unit\'s communications focal point.',
    tooManyTries: 'Too many wrong invite codes. Please try again after {time}, or ask your unit\'s communications focal point for help.',
    codeUsed:
      'This invite code has already been used to link another chat; a code links only once. Nothing changed. If it is your code, send /link from your linked chat for a new one, or ask your unit for a new code.',
    adminCodeRequired:
      'This code cannot link an account with the admin role or a console account. Such accounts can only be linked with a code an administrator issued for them within the last 24 hours; codes from the printed sheet, from /link, and older codes do not work. Nothing changed. Please ask an administrator for a new code.',
    codeExpired: 'This invite code expired on {date}. Please ask your unit for a new one.',
    codeSuperseded:
      'This invite code no longer works: the account linked a chat after it was issued, which voids every code issued before. Nothing changed. To link another chat, send /link from your linked chat, or ask an administrator for a new code.',
    chatTaken: 'This chat is already linked to someone else ({name}). Please contact an administrator to change it.',
    privateOnly: 'Please message the bot privately to link your account; do not send invite codes in a group.',
  },
  help: {
    title: 'What you can do:',
    start: '/start <code> — link your account with an invite code',
    help: '/help — show this guide',
    language: '/lang — change language (Tiếng Việt / English)',
    cancel: '/cancel — cancel what you were doing',
    zaloNote: 'On Zalo you can type commands without the "/", e.g. help.',
    linkedAs: 'You are using the bot as: {name} — {unit}.',
  },
  language: {
    ask: 'Chọn ngôn ngữ / Choose a language:',
    changed: 'Switched to English.',
    vi: 'Tiếng Việt',
    en: 'English',
  },
  report: report.en,
  channel: glossary.en.channels,
  broadcast: broadcast.en,
  page: page.en,
  publicLink: publicLink.en,
  api: api.en,
  web: web.en,
  summary: summary.en,
  consoleReach: consoleReach.en,
  consoleContent: consoleContent.en,
  consolePeriods: consolePeriods.en,
  exports: exportsText.en,
  criteria: criteria.en,
  results: results.en,
  backup: backup.en,
  consoleQuestions: consoleQuestions.en,
  consoleMisinfo: consoleMisinfo.en,
  misinfoPage: misinfoPage.en,
  misinfoSheet: misinfoSheet.en,
  consoleAuth: consoleAuth.en,
  consoleOverview: consoleOverview.en,
  cli: cli.en,
  ask: ask.en,
  subscribers: subscribers.en,
  inbox: inbox.en,
  consoleInbox: consoleInbox.en,
  link: link.en,
  relay: relay.en,
  directory: directory.en,
  consoleDirectory: consoleDirectory.en,
  channels: channels.en,
  consoleChannels: consoleChannels.en,
  calendar: calendar.en,
  library: library.en,
  libraryWeb: libraryWeb.en,
  lookup: lookup.en,
  consoleSuggest: consoleSuggest.en,
} as const satisfies Catalog
