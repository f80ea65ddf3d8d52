import { describe, expect, it } from 'vitest'
import { locales } from '#db/schema/index.js'
import { features } from '#handlers/index.js'
import { choiceIds } from '#src/core/choice-ids.js'
import { choiceIdContract } from './choice-id-contract.js'

/** Record ids are SQLite integers; the largest JavaScript reads exactly is 2^53 - 1 (16 digits). */
const BIG = Number.MAX_SAFE_INTEGER

for (const feature of ['ack', 'relay', 'unlink', 'misinfoAck'] as const) {
  const codec = choiceIds[feature]
  choiceIdContract({
    feature,
    prefix: codec.prefix,
    parse: codec.parse,
    roundTrips: [
      { id: codec.of(412), value: 412 },
      { id: codec.of(1), value: 1 },
    ],
    largest: [codec.of(BIG)],
    refused: [`${codec.prefix}:0`, `${codec.prefix}:-3`, `${codec.prefix}:x`, `${codec.prefix}:${BIG + 2}`, 'qz:1:start', `${codec.prefix}x:1`],
  })
}

choiceIdContract({
  feature: 'quiz',
  prefix: choiceIds.quiz.prefix,
  parse: choiceIds.quiz.parse,
  roundTrips: [
    { id: choiceIds.quiz.start(12), value: { quizId: 12, kind: 'start' } },
    { id: choiceIds.quiz.answer(12, 0, 1), value: { quizId: 12, kind: 'answer', question: 0, option: 1 } },
    { id: choiceIds.quiz.answer(123456789012, 49, 5), value: { quizId: 123456789012, kind: 'answer', question: 49, option: 5 } },
  ],
  largest: [choiceIds.quiz.start(999_999_999_999), choiceIds.quiz.answer(999_999_999_999, 999, 99)],
  refused: ['qz:1:x', 'qz:1:2', 'qz:1:2:3:4', 'ack:1', 'qz:1234567890123:start'],
})

choiceIdContract({
  feature: 'poll',
  prefix: choiceIds.poll.prefix,
  parse: choiceIds.poll.parse,
  roundTrips: [
    { id: choiceIds.poll.answer(3, 0), value: { pollId: 3, option: 0 } },
    { id: choiceIds.poll.answer(123456789012, 8), value: { pollId: 123456789012, option: 8 } },
  ],
  largest: [choiceIds.poll.answer(999_999_999_999, 9)],
  refused: ['pl:1', 'pl:1:12', 'pl:x:1', 'qz:1:start', 'pl:1234567890123:1'],
})

choiceIdContract({
  feature: 'report',
  prefix: choiceIds.report.prefix,
  parse: choiceIds.report.parse,
  roundTrips: (['start', 'confirm', 'redo', 'cancel'] as const).map((action) => ({ id: choiceIds.report[action](7), value: { periodId: 7, action } })),
  largest: (['start', 'confirm', 'redo', 'cancel'] as const).map((action) => choiceIds.report[action](BIG)),
  refused: ['ack:7', 'rpx:7:start'],
})

choiceIdContract({
  feature: 'selfAssess',
  prefix: choiceIds.selfAssess.prefix,
  parse: choiceIds.selfAssess.parse,
  roundTrips: (['start', 'confirm', 'redo', 'cancel'] as const).map((action) => ({ id: choiceIds.selfAssess[action], value: action })),
  largest: [choiceIds.selfAssess.confirm],
  refused: ['sa:later', 'sa', 'rp:1:confirm'],
})

choiceIdContract({
  feature: 'announce',
  prefix: choiceIds.announce.prefix,
  parse: choiceIds.announce.parse,
  roundTrips: [
    { id: choiceIds.announce.send, value: { action: 'send' } },
    { id: choiceIds.announce.cancel, value: { action: 'cancel' } },
    { id: choiceIds.announce.audience('role:focal_point'), value: { action: 'audience', key: 'role:focal_point' } },
  ],
  largest: [choiceIds.announce.audience('role:focal_point')],
  refused: ['ann:later', 'lang:vi'],
})

choiceIdContract({
  feature: 'language',
  prefix: choiceIds.language.prefix,
  parse: choiceIds.language.parse,
  roundTrips: locales.map((l) => ({ id: choiceIds.language.of(l), value: l })),
  largest: locales.map((l) => choiceIds.language.of(l)),
  refused: ['ann:send', 'language:vi'],
})

choiceIdContract({
  feature: 'rating',
  prefix: choiceIds.rating.prefix,
  parse: choiceIds.rating.parse,
  roundTrips: [
    { id: choiceIds.rating.of(12, 1), value: { questionId: 12, choice: 1 } },
    { id: choiceIds.rating.of(7, 2), value: { questionId: 7, choice: 2 } },
  ],
  largest: [choiceIds.rating.of(999_999_999_999, 2)],
  refused: ['rate:1:3', 'rate:x:1', 'ack:1'],
})

choiceIdContract({
  feature: 'subscribe',
  prefix: choiceIds.subscribe.prefix,
  parse: choiceIds.subscribe.parse,
  roundTrips: [{ id: choiceIds.subscribe.ward(42), value: 42 }],
  largest: [choiceIds.subscribe.ward(999_999_999_999)],
  refused: ['sub:ward:0', 'sub:ward:x', 'ack:1'],
})

describe('choice id prefixes', () => {
  it('are one per codec, and every choice handler is registered under one of them', () => {
    const prefixes = Object.values(choiceIds).map((c) => c.prefix)
    expect(new Set(prefixes).size).toBe(prefixes.length)
    const handled = features.flatMap((f) => f.choices ?? []).map((h) => h.prefix)
    expect([...handled].sort()).toEqual([...prefixes].sort())
  })
})
