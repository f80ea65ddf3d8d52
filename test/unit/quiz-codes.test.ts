import { describe, expect, it } from 'vitest'
import { choiceIds } from '#src/core/choice-ids.js'
import { matchChoice } from '#src/core/choices.js'
import { codeKey, generateSessionCode } from '#src/domain/attendance/sessions.js'
import { startOfDay } from '#src/domain/reach.js'

describe('session codes', () => {
  it('are generated as NQ71 and four digits', () => {
    for (let i = 0; i < 50; i++) expect(generateSessionCode()).toMatch(/^NQ71-\d{4}$/)
  })
  it.each([['NQ71-4821'], ['nq71 4821'], ['Nq71–4821'.replace('–', '-')], [' nq71_4821 '], ['NQ71.4821']])('"%s" reads as NQ714821', (typed) => {
    expect(codeKey(typed)).toBe('NQ714821')
  })
})

describe('quiz choice ids', () => {
  it('are matched from a Zalo reply by number, letter or option text', () => {
    const choices = ['Y tế', 'Giáo dục và đào tạo', 'Giao thông'].map((label, i) => ({ id: choiceIds.quiz.answer(1, 0, i), label }))
    expect(matchChoice('2', choices)?.id).toBe('qz:1:0:1')
    expect(matchChoice('B', choices)?.id).toBe('qz:1:0:1')
    expect(matchChoice('giao duc va dao tao', choices)?.id).toBe('qz:1:0:1')
    expect(matchChoice('c.', choices)?.id).toBe('qz:1:0:2')
    expect(matchChoice('e', choices)).toBeUndefined()
  })
  it('reads a number past the list as an option text', () => {
    const choices = ['29', '45', '71'].map((label, i) => ({ id: choiceIds.quiz.answer(1, 0, i), label }))
    expect(matchChoice('71', choices)?.id).toBe('qz:1:0:2')
    expect(matchChoice('2', choices)?.id).toBe('qz:1:0:1')
  })
})

describe('reach periods', () => {
  it('start at midnight in Can Tho', () => {
    expect(startOfDay('2026-03-01', 'Asia/Ho_Chi_Minh').toISOString()).toBe('2026-02-28T17:00:00.000Z')
    expect(startOfDay('2026-07-01', 'Europe/Paris').toISOString()).toBe('2026-06-30T22:00:00.000Z')
  })
})
