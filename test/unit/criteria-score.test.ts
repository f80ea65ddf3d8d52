import { describe, expect, it } from 'vitest'
import { rankOf, scoreUnit } from '#src/domain/criteria/score.js'
import { criteriaSetSchema } from '#src/domain/criteria/set.js'

const set = criteriaSetSchema.parse({
  bands: [
    { name: 'Tốt', minPercent: 70 },
    { name: 'Khá', minPercent: 50 },
  ],
  groups: [
    {
      code: 'A',
      title: 'Nhóm A',
      weight: 2,
      criteria: [
        { code: 'A1', title: 'Tự động', maxPoints: 10, type: 'automatic', metric: 'staff_linked' },
        { code: 'A2', title: 'Chấm tay', maxPoints: 5, type: 'manual' },
      ],
    },
    { code: 'W', title: 'Chỉ phường, xã', appliesTo: ['commune'], criteria: [{ code: 'W1', title: 'Phường', maxPoints: 50, type: 'manual' }] },
  ],
})

describe('criteria scores', () => {
  it('holds every criterion within its maximum, whatever the inputs, and leaves out what does not apply', () => {
    const wild = scoreUnit(set, 'school', (code) => (code === 'A1' ? { share: 7 } : { selfPoints: 99, appraisedPoints: -4 }))
    expect(wild.groups.map((g) => g.code)).toEqual(['A'])
    expect(wild.groups[0]!.criteria.map((c) => [c.code, c.points])).toEqual([
      ['A1', 10],
      ['A2', 0], // the appraisal (held at 0) wins over the self-assessment
    ])
    expect([wild.total, wild.max, wild.percent, wild.band]).toEqual([20, 30, 66.67, 'Khá'])
    const ward = scoreUnit(set, 'commune', (code) => (code === 'W1' ? { selfPoints: 50 } : { share: 1, selfPoints: 5 }))
    expect([ward.total, ward.max, ward.band]).toEqual([80, 80, 'Tốt'])
    // Nothing measured, nothing assessed: 0 points, the maximum unchanged.
    expect(scoreUnit(set, 'school', () => ({ share: null }))).toMatchObject({ total: 0, max: 30, percent: 0, band: null })
  })

  it('ranks by percent with ties sharing a rank, and no rank without a maximum', () => {
    expect(rankOf([{ percent: 50 }, { percent: 90 }, { percent: 50 }, { percent: null }, { percent: 10 }]).map((r) => r.rank)).toEqual([2, 1, 2, null, 4])
  })
})
