import { describe, expect, it } from 'vitest'
import { coverage, questionTerms, suggestMatch } from '#src/domain/library/suggest.js'
import { outcomeOf } from '#src/domain/library/suggested-answers.js'

describe('the key words of a question', () => {
  it('drops the words that only make it a question, with marks or without, and keeps the subjects that fold like them', () => {
    expect(questionTerms('Cho em hỏi lịch thi tuyển sinh lớp 10 khi nào ạ?')).toEqual(['lich', 'thi', 'tuyen', 'sinh', 'lop', '10'])
    expect(questionTerms('cho em hoi lich thi tuyen sinh lop 10 khi nao a')).toEqual(['hoi', 'lich', 'thi', 'tuyen', 'sinh', 'lop', '10'])
    // "thì" typed with its mark is a filler; "bao" (markless in "bao giờ" as in "bao cao") is kept, once.
    expect(questionTerms('Nếu vậy thì bao giờ nộp báo cáo?')).toEqual(['bao', 'nop', 'cao'])
    expect(questionTerms('gui bao cao nhanh')).toEqual(['gui', 'bao', 'cao', 'nhanh'])
    expect(questionTerms('Tiếng Anh lớp 3')).toEqual(['tieng', 'anh', 'lop', '3'])
    expect(questionTerms('có không ạ ?')).toEqual([])
  })

  it('matches any key word or neighbouring pair, quoted, and measures the share an entry holds', () => {
    expect(suggestMatch(['hoc', 'phi'])).toBe('{folded}:("hoc" OR "phi" OR "hoc phi")')
    expect(suggestMatch(['a"b'])).toBe('{folded}:("a""b")')
    expect(suggestMatch([])).toBe('')
    expect(coverage(['mien', 'hoc', 'phi', 'tu', 'thuc'], 'Học sinh nào được MIỄN học phí?')).toBe(0.6)
  })

  it('tells a suggestion sent as is, edited, or set aside', () => {
    const suggested = ['Học sinh trường công lập được miễn học phí từ năm học 2025-2026.']
    expect(outcomeOf(suggested, 'Học sinh trường công lập được miễn học phí từ năm học 2025-2026')).toBe('accepted')
    expect(outcomeOf(suggested, 'Có: học sinh trường công lập được miễn học phí từ năm học 2025-2026, kể cả lớp 10.')).toBe('edited')
    expect(outcomeOf(suggested, 'Tiền ăn bán trú do cha mẹ đóng.')).toBe('rejected')
  })
})
