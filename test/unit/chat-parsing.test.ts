import { describe, expect, it } from 'vitest'
import { matchChoice } from '#src/core/choices.js'
import { parseCommand } from '#src/core/commands.js'
import { splitText } from '#src/core/text.js'
import { normalizeInviteCode } from '#src/domain/directory/invites.js'
import { normalize } from '#src/i18n.js'

const known = new Set(['baocao', 'huongdan', 'diemdanh', 'start', 'ngonngu'])

describe('parseCommand', () => {
  it.each([
    ['/baocao', 'baocao', ''],
    ['/báo cáo', 'baocao', ''],
    ['bao cao', 'baocao', ''],
    ['Báo Cáo hd 5, sp 3', 'baocao', 'hd 5, sp 3'],
    ['/baocao@nq71_cantho_bot', 'baocao', ''],
    ['Điểm danh NQ71-4821', 'diemdanh', 'NQ71-4821'],
    ['/start u_Rk3Fq9xZ2LmQ', 'start', 'u_Rk3Fq9xZ2LmQ'],
    ['HUONG DAN', 'huongdan', ''],
  ])('%s → %s', (text, name, args) => {
    expect(parseCommand(text, known)).toMatchObject({ name, args })
  })

  it('does not take an ordinary sentence for a command', () => {
    expect(parseCommand('Cho tôi xem lịch tập huấn', known)).toBeNull()
    expect(parseCommand('bao nhieu nguoi', known)).toBeNull()
  })

  it('reports an unknown slash command by name', () => {
    expect(parseCommand('/xyz abc', known)).toMatchObject({ name: 'xyz', slashed: true })
  })
})

describe('matchChoice', () => {
  const choices = [
    { id: 'q:a', label: 'A. 70%' },
    { id: 'q:b', label: 'B. 90%' },
    { id: 'q:c', label: 'C. 100%' },
  ]
  it.each([
    ['2', 'q:b'],
    ['b', 'q:b'],
    ['B.', 'q:b'],
    ['90%', 'q:b'],
    ['c. 100%', 'q:c'],
  ])('%s → %s', (text, id) => expect(matchChoice(text, choices)?.id).toBe(id))

  it('matches labels without diacritics and refuses what is not offered', () => {
    const yesNo = [
      { id: 'y', label: 'Đồng ý' },
      { id: 'n', label: 'Không' },
    ]
    expect(matchChoice('dong y', yesNo)?.id).toBe('y')
    expect(matchChoice('KHONG', yesNo)?.id).toBe('n')
    expect(matchChoice('3', yesNo)).toBeUndefined()
    expect(matchChoice('có lẽ', yesNo)).toBeUndefined()
  })
})

describe('normalize', () => {
  it('folds Vietnamese diacritics, đ and case', () => {
    expect(normalize('  Đã   ĐỌC  ')).toBe('da doc')
    expect(normalize('Nghị quyết 71')).toBe('nghi quyet 71')
  })
})

describe('normalizeInviteCode', () => {
  it('accepts any case, spaces or a dash, and refuses look-alikes', () => {
    expect(normalizeInviteCode('k7m4-q2xp')).toBe('K7M4Q2XP')
    expect(normalizeInviteCode(' K7M4 Q2XP ')).toBe('K7M4Q2XP')
    expect(normalizeInviteCode('K7M4-Q2X0')).toBeNull()
    expect(normalizeInviteCode('K7M4')).toBeNull()
  })
})

describe('splitText', () => {
  it('keeps short text whole and splits long text on paragraph boundaries under the limit', () => {
    expect(splitText('xin chào', 2000)).toEqual(['xin chào'])
    const para = 'Nghị quyết 71 '.repeat(60).trim()
    const parts = splitText([para, para, para].join('\n\n'), 2000)
    expect(parts.length).toBeGreaterThan(1)
    expect(parts.every((p) => p.length <= 2000 && p.length > 0)).toBe(true)
    expect(parts.join(' ').replace(/\s+/g, ' ')).toBe([para, para, para].join(' ').replace(/\s+/g, ' '))
  })

  it('never cuts a word when a space is near', () => {
    const parts = splitText('aaaa '.repeat(1000), 2000)
    expect(parts.every((p) => p.split(' ').every((w) => w === 'aaaa'))).toBe(true)
  })
})
