import { describe, expect, it } from 'vitest'
import { ackWord } from '#handlers/ack.js'
import { createTelegramAdapter, TELEGRAM_MAX_TEXT } from '#src/channels/telegram/adapter.js'
import { createZaloAdapter, ZALO_MAX_TEXT } from '#src/channels/zalo/adapter.js'
import { matchChoice } from '#src/core/choices.js'
import { parseCommand } from '#src/core/commands.js'
import { splitText } from '#src/core/text.js'
import { codeKey } from '#src/domain/attendance/sessions.js'
import { normalizeInviteCode } from '#src/domain/directory/invites.js'
import { choiceIds } from '#src/core/choice-ids.js'
import { parseQuickReport, readCount, readField, readPercent, readText } from '#src/domain/reporting/answers.js'
import { normalize } from '#src/i18n.js'

/**
 * Every parser that reads chat text must finish in linear time on the longest message a platform
 * delivers (4,096 characters on Telegram, 2,000 on Zalo). A backtracking regular expression turns
 * one message into seconds of blocked event loop for every chat, the admin API and the outbox:
 * "1", 4,000 spaces and "1" took 7.9 s in the report number parser.
 */
const LIMIT_MS = 10

/** Characters and fragments that backtracking patterns over chat text tend to trip on. */
const atoms = [
  ' ', '\t', '\n', '\u00a0', '1', '9', '.', ',', ';', ':', '=', '%', ')', '!', '@', '/', '-', '_', 'a', 'Z',
  'đ', 'ệ', '\u0301', '😀', 'hd ', 'kk ', 'hd 1,', 'sp: ', '1 ', ' %', 'A. ', '@bot', 'da doc ', 'NQ71-',
]

/** Long runs of one atom, with a different character at the end (where backtracking starts). */
function adversarialInputs(max: number): string[] {
  const fit = (s: string) => s.slice(0, max)
  const out: string[] = []
  for (const atom of atoms) {
    const run = atom.repeat(Math.ceil(max / atom.length))
    out.push(fit(run))
    out.push(fit(`1${run}`).slice(0, max - 1) + '1')
    out.push(fit(`1${run}`).slice(0, max - 1) + 'x')
    out.push(fit(`/baocao ${run}`))
    out.push(fit(`hd ${run}`).slice(0, max - 1) + '!')
    out.push(fit(`${run}`).slice(0, max - 2) + '%x')
  }
  // The report from the issue, and spaces between every digit.
  out.push(`1${' '.repeat(max - 2)}1`, fit('1 '.repeat(max)), fit('1,'.repeat(max)), fit('a1 '.repeat(max)))
  return out
}

const known = new Set(['baocao', 'huongdan', 'diemdanh', 'start', 'ngonngu', 'thongbao', 'hoidap'])
const choices = [
  { id: 'qz:1:0:0', label: 'A. 45' },
  { id: 'qz:1:0:1', label: 'B. 71' },
  { id: 'qz:1:0:2', label: 'C. Cả hai ý trên đều đúng' },
]
const telegram = createTelegramAdapter({ token: '1:x', apiRoot: 'http://127.0.0.1:9', webhookSecret: 'secret-1234' })
const zalo = createZaloAdapter({ token: '2:x', apiRoot: 'http://127.0.0.1:9', webhookSecret: 'secret-1234' })

const parsers: Record<string, (text: string) => unknown> = {
  'parseCommand (every message)': (t) => parseCommand(t, known),
  'parseCommand with a slash': (t) => parseCommand(`/${t}`, known),
  'normalize (commands, cancel words, choices)': normalize,
  'matchChoice (quiz answers, Zalo numbered choices)': (t) => matchChoice(t, choices),
  'ackWord (đã đọc / ok)': ackWord,
  'readCount (report counts)': readCount,
  'readPercent (report share)': readPercent,
  'readText (report difficulties)': readText,
  'readField (each report step)': (t) => [readField('activities', t), readField('briefedPercent', t), readField('difficulties', t)],
  'parseQuickReport (/baocao in one message)': parseQuickReport,
  'normalizeInviteCode (bare codes on Zalo)': normalizeInviteCode,
  'codeKey (check-in codes)': codeKey,
  'choiceIds.quiz.parse (button data)': choiceIds.quiz.parse,
  'splitText (long replies)': (t) => splitText(t, 100),
  'Telegram adapter parse': (t) =>
    telegram.parse({ update_id: 1, message: { message_id: 1, date: 1, chat: { id: 1, type: 'private' }, from: { id: 1, is_bot: false, first_name: t }, text: t } }),
  'Zalo adapter parse': (t) =>
    zalo.parse({ event_name: 'message.text.received', message: { message_id: 'm', date: 1, chat: { id: 'u', chat_type: 'PRIVATE' }, from: { id: 'u' }, text: t } }),
}

/** Best of three runs after a warm-up, so a busy shared machine or the JIT does not decide. */
function timeOf(fn: () => unknown): number {
  fn()
  let best = Infinity
  for (let i = 0; i < 3; i++) {
    const started = performance.now()
    fn()
    best = Math.min(best, performance.now() - started)
  }
  return best
}

describe.each([
  ['Telegram', TELEGRAM_MAX_TEXT],
  ['Zalo', ZALO_MAX_TEXT],
])('chat parsers on %s messages of the maximum length (%i characters)', (_platform, max) => {
  const inputs = adversarialInputs(max)

  it.each(Object.entries(parsers))('%s returns in under 10 ms on every adversarial input', (_name, parse) => {
    const slow: string[] = []
    for (const input of inputs) {
      expect(input.length).toBeLessThanOrEqual(max)
      const ms = timeOf(() => parse(input))
      if (ms >= LIMIT_MS) slow.push(`${JSON.stringify(input.slice(0, 12))}… (${input.length} chars): ${ms.toFixed(1)} ms`)
    }
    expect(slow).toEqual([])
  })
})

describe('the parsers still read what people type', () => {
  it('reads counts and shares with spaces around them, and refuses the adversarial ones', () => {
    expect(readCount('  5 hoạt động  ')).toBe(5)
    expect(readCount('5')).toBe(5)
    expect(readCount(`1${' '.repeat(4000)}1`)).toBeNull()
    expect(readCount('5abc')).toBeNull()
    expect(readCount('5 .')).toBeNull()
    expect(readPercent(' 95 % ')).toBe(95)
    expect(readPercent(`1${' '.repeat(4000)}%`)).toBe(1)
    expect(readPercent(`1${' '.repeat(4000)}x`)).toBeNull()
  })

  it('strips trailing punctuation from an acknowledgement only at the end', () => {
    expect(ackWord('Đã đọc!!! ')).toBe('da doc')
    expect(ackWord('ok.)')).toBe('ok')
    expect(ackWord(`${'.'.repeat(4000)}a`)).toBe(`${'.'.repeat(4000)}a`)
  })
})
