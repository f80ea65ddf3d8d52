import { describe, expect, it } from 'vitest'
import { catalogs } from '#locales/index.js'
import { formatPercent, translate } from '#src/i18n.js'

function leaves(node: unknown, prefix = ''): [string, string][] {
  return Object.entries(node as Record<string, unknown>).flatMap(([k, v]) => {
    const key = prefix ? `${prefix}.${k}` : k
    return typeof v === 'string' ? [[key, v] as [string, string]] : leaves(v, key)
  })
}

/** Console walk P15: one name for each thing on every page, and one way to write a share. */
describe('the glossary of Vietnamese terms', () => {
  const vi = leaves(catalogs.vi)

  it('names a ward the same way on the compose form, the directory, the periods and the overview', () => {
    const names = ['consoleContent.audience.unitKind.commune', 'consoleDirectory.kindNames.commune', 'consolePeriods.unitKinds.commune', 'consoleOverview.kinds.commune'].map((k) =>
      translate('vi', k as never),
    )
    expect(new Set(names)).toEqual(new Set(['Phường, xã']))
    expect(vi.filter(([, v]) => v.includes('Xã, phường')).map(([k]) => k)).toEqual([])
  })

  it('names roles and schools the same way everywhere (lower case inside sentences)', () => {
    const lower = (k: string) => translate('vi', k as never).toLocaleLowerCase('vi')
    for (const role of ['teacher', 'manager', 'focal_point', 'comms_staff', 'admin']) {
      expect(new Set([`consoleContent.audience.role.${role}`, `consoleDirectory.roleNames.${role}`, `consoleOverview.roles.${role}`].map(lower)), role).toHaveProperty('size', 1)
    }
    for (const kind of ['school', 'press']) {
      expect(new Set([`consoleContent.audience.unitKind.${kind}`, `consoleDirectory.kindNames.${kind}`, `consolePeriods.unitKinds.${kind}`, `consoleOverview.kinds.${kind}`].map(lower)), kind).toHaveProperty('size', 1)
    }
  })

  it('spells "tỷ lệ" one way', () => {
    expect(vi.filter(([, v]) => /tỉ lệ/i.test(v)).map(([k]) => k)).toEqual([])
  })

  it('writes shares with a decimal comma in Vietnamese and a point in English', () => {
    expect(formatPercent(0.763, 'vi')).toBe('76,3%')
    expect(formatPercent(2 / 7, 'vi')).toBe('28,6%')
    expect(formatPercent(0, 'vi')).toBe('0%')
    expect(formatPercent(2 / 7, 'en')).toBe('28.6%')
    expect(formatPercent(null, 'vi')).toBe('—')
  })
})
