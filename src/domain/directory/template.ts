import type { KeyIn, Translate } from '../../i18n.js'
import { workbook } from '../spreadsheet.js'

/**
 * The workbook the import page offers to download: a people sheet and a units sheet headed with the
 * names the import reads (in the user's language), two example rows each, and a help sheet.
 */
export async function importTemplate(t: Translate): Promise<Uint8Array> {
  const f = (field: KeyIn<'consoleDirectory.import.fields.'>) => t(`consoleDirectory.import.fields.${field}`)
  const ex = (name: KeyIn<'consoleDirectory.import.template.examples.'>) => t(`consoleDirectory.import.template.examples.${name}`)
  return workbook([
    {
      name: t('consoleDirectory.import.template.people'),
      rows: [
        [t('consoleDirectory.import.template.no'), f('fullName'), f('unitCode'), f('roles'), f('phone'), f('externalId')],
        [1, ex('lan'), ex('school'), ex('teacher'), '0912345678', 'GV001'],
        [2, ex('minh'), 'THCS-ANHOA', ex('principal'), '+84913345678', 'GV002'],
      ],
    },
    {
      name: t('consoleDirectory.import.template.units'),
      rows: [
        [f('code'), f('name'), f('kind'), f('parentCode'), f('staffCount')],
        ['SGDDT', ex('department'), ex('departmentKind'), null, null],
        ['THCS-ANHOA', ex('school'), ex('schoolKind'), 'SGDDT', 60],
      ],
    },
    {
      name: t('consoleDirectory.import.template.help'),
      rows: ([1, 2, 3, 4, 5] as const).map((n) => [t(`consoleDirectory.import.template.help${n}`)]),
    },
  ])
}
