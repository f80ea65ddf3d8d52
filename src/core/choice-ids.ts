/**
 * What a button carries: one codec per feature, the only place its ids are written or read.
 * An id is `<prefix>:<rest>`; the router hands it to the ChoiceHandler whose `prefix` it starts
 * with, and on Telegram it rides in `callback_data`, so it must fit in 64 bytes
 * (test/contract/choice-ids.test.ts checks every codec's largest ids). `parse` returns null for an
 * id of another feature (and, where the rest is a record id, for one that is not a positive integer).
 */

/** `<prefix>:<positive integer>`: a button that points at one row (a brief, a link). */
function recordId(prefix: string) {
  return {
    prefix,
    of: (id: number) => `${prefix}:${id}`,
    parse(data: string): number | null {
      if (!data.startsWith(`${prefix}:`)) return null
      const id = Number(data.slice(prefix.length + 1))
      return Number.isSafeInteger(id) && id > 0 ? id : null
    },
  }
}

type QuizChoice = { quizId: number; kind: 'start' } | { quizId: number; kind: 'answer'; question: number; option: number }

type AnnounceChoice = { action: 'send' } | { action: 'cancel' } | { action: 'audience'; key: string }

/** Quiz ids are small integers and question/option indexes one digit or two: ids stay far below 64 bytes. */
const quiz = {
  prefix: 'qz',
  start: (quizId: number) => `qz:${quizId}:start`,
  answer: (quizId: number, question: number, option: number) => `qz:${quizId}:${question}:${option}`,
  parse(data: string): QuizChoice | null {
    const start = /^qz:(\d{1,12}):start$/.exec(data)
    if (start) return { quizId: Number(start[1]), kind: 'start' }
    const ans = /^qz:(\d{1,12}):(\d{1,3}):(\d{1,2})$/.exec(data)
    if (ans) return { quizId: Number(ans[1]), kind: 'answer', question: Number(ans[2]), option: Number(ans[3]) }
    return null
  },
}

/** `pl:<pollId>:<option>`: an answer to a poll (option 0–8, the index into its options or the 1–5 scale). */
const poll = {
  prefix: 'pl',
  answer: (pollId: number, option: number) => `pl:${pollId}:${option}`,
  parse(data: string): { pollId: number; option: number } | null {
    const m = /^pl:(\d{1,12}):(\d)$/.exec(data)
    return m ? { pollId: Number(m[1]), option: Number(m[2]) } : null
  },
}

/** `rp:<periodId>:start|confirm|redo|cancel`: reminder buttons, the period pick and the summary's choices. */
const report = {
  prefix: 'rp',
  start: (periodId: number) => `rp:${periodId}:start`,
  confirm: (periodId: number) => `rp:${periodId}:confirm`,
  redo: (periodId: number) => `rp:${periodId}:redo`,
  cancel: (periodId: number) => `rp:${periodId}:cancel`,
  /** The action as written (an old or forged id may carry another), and the period when it is an integer. */
  parse(data: string): { periodId: number | null; action: string | undefined } | null {
    if (!data.startsWith('rp:')) return null
    const [, rawId, action] = data.split(':')
    const periodId = Number(rawId)
    return { periodId: Number.isSafeInteger(periodId) ? periodId : null, action }
  },
}

/** `ann:send`, `ann:cancel`, `ann:aud:<audience key>`: the /thongbao flow's buttons. */
const announce = {
  prefix: 'ann',
  send: 'ann:send',
  cancel: 'ann:cancel',
  audience: (key: string) => `ann:aud:${key}`,
  parse(data: string): AnnounceChoice | null {
    if (data.startsWith('ann:aud:')) return { action: 'audience', key: data.slice('ann:aud:'.length) }
    if (data === 'ann:send') return { action: 'send' }
    if (data === 'ann:cancel') return { action: 'cancel' }
    return null
  },
}

type SelfAssessAction = 'start' | 'confirm' | 'redo' | 'cancel'

/** `sa:start`: the reminder's button; `sa:confirm|redo|cancel`: the /tudanhgia summary's choices (the draft is in the conversation state). */
const selfAssess = {
  prefix: 'sa',
  start: 'sa:start',
  confirm: 'sa:confirm',
  redo: 'sa:redo',
  cancel: 'sa:cancel',
  parse(data: string): SelfAssessAction | null {
    const action = data.startsWith('sa:') ? data.slice(3) : ''
    return action === 'start' || action === 'confirm' || action === 'redo' || action === 'cancel' ? action : null
  },
}

/** `lang:<locale>`: the /ngonngu picker; the handler checks the locale is one we speak. */
const language = {
  prefix: 'lang',
  of: (locale: string) => `lang:${locale}`,
  parse: (data: string): string | null => (data.startsWith('lang:') ? data.slice('lang:'.length) : null),
}

/** `rate:<questionId>:1|2`: "1 Hài lòng / 2 Chưa hài lòng" under an answer to a subscriber. */
const rating = {
  prefix: 'rate',
  of: (questionId: number, choice: 1 | 2) => `rate:${questionId}:${choice}`,
  parse(data: string): { questionId: number; choice: 1 | 2 } | null {
    const m = /^rate:(\d{1,12}):([12])$/.exec(data)
    return m ? { questionId: Number(m[1]), choice: Number(m[2]) as 1 | 2 } : null
  },
}

/** `sub:ward:<unitId>`: a ward offered by `/dangky`. */
const subscribe = {
  prefix: 'sub',
  ward: (unitId: number) => `sub:ward:${unitId}`,
  parse(data: string): number | null {
    const m = /^sub:ward:(\d{1,12})$/.exec(data)
    const id = m ? Number(m[1]) : 0
    return id > 0 ? id : null
  },
}

export const choiceIds = {
  /** `ack:<broadcastId>`: "Đã đọc" under a brief. */
  ack: recordId('ack'),
  /** `relay:<broadcastId>`: "Đã chuyển vào nhóm" under the forward-ready copy. */
  relay: recordId('relay'),
  /** `unlink:<linkId>`: "Không phải tôi" under a link announcement (the id of the new link). */
  unlink: recordId('unlink'),
  quiz,
  poll,
  report,
  announce,
  selfAssess,
  language,
  rating,
  subscribe,
  /** `ms:ack:<claimId>`: a liaison's "Đã nhận" under a routed misinformation case. */
  misinfoAck: recordId('ms:ack'),
}
