import type { Context } from 'hono'
import { personFields, unitFields, type ColumnChoices } from '#src/domain/directory/headers.js'
import type { ImportResult } from '#src/domain/directory/import.js'
import type { KeyIn, Translate } from '#src/i18n.js'
import { CsrfField } from '../../layout.js'

/**
 * The import preview's choice of field for the columns no header alias names ("when unsure"): a
 * select per such column, sent back with the checked file to be checked again. The choices travel
 * as `sheet.<i>` (the sheet's name) and `col.<i>.<column>` (the field, or '' to leave it out).
 */

/** The user's column choices from a submitted form. */
export function columnChoicesFrom(body: Record<string, unknown>): ColumnChoices {
  const choices: ColumnChoices = {}
  for (const [name, value] of Object.entries(body)) {
    const m = /^col\.(\d+)\.(\d+)$/.exec(name)
    const sheet = m && body[`sheet.${m[1]}`]
    if (!m || typeof sheet !== 'string' || typeof value !== 'string') continue
    ;(choices[sheet] ??= {})[Number(m[2])] = value
  }
  return choices
}

/** The choices as hidden fields, for a form that carries them on (the confirm form). */
export function ColumnChoiceFields({ result }: { result: ImportResult }) {
  return (
    <>
      {result.file.sheets.map((s, si) => (
        <>
          <input type="hidden" name={`sheet.${si}`} value={s.name} />
          {s.columns
            .filter((col) => col.unsure)
            .map((col) => (
              <input type="hidden" name={`col.${si}.${col.index}`} value={col.field ?? ''} />
            ))}
        </>
      ))}
    </>
  )
}

/** A form with a select per unrecognised column; nothing when every column was recognised. */
export function ColumnChoicesForm({ c, t, result, carried }: { c: Context; t: Translate; result: ImportResult; carried: string }) {
  const unsure = result.file.sheets.flatMap((s, si) => (s.kind ? s.columns.filter((col) => col.unsure).map((col) => ({ s, si, col, kind: s.kind! })) : []))
  if (unsure.length === 0) return null
  return (
    <form method="post" action="/admin/directory/import" enctype="multipart/form-data" class="card stack" data-columns>
      <CsrfField c={c} />
      <input type="hidden" name="name" value={result.file.name} />
      <input type="hidden" name="file64" value={carried} />
      <h3>{t('consoleDirectory.import.columnsTitle')}</h3>
      <p class="hint">{t('consoleDirectory.import.columnsHint')}</p>
      {result.file.sheets.map((s, si) => (
        <input type="hidden" name={`sheet.${si}`} value={s.name} />
      ))}
      {unsure.map(({ s, si, col, kind }) => {
        const id = `col-${si}-${col.index}`
        const fields: readonly KeyIn<'consoleDirectory.import.fields.'>[] = kind === 'units' ? unitFields : personFields
        return (
          <div>
            <label for={id}>{t('consoleDirectory.import.columnIn', { column: col.header, sheet: s.name })}</label>
            <select id={id} name={`col.${si}.${col.index}`}>
              <option value="">{t('consoleDirectory.import.ignore')}</option>
              {fields.map((f) => (
                <option value={f} selected={col.field === f}>
                  {t(`consoleDirectory.import.fields.${f}`)}
                </option>
              ))}
            </select>
          </div>
        )
      })}
      <div class="actions">
        <button type="submit">{t('consoleDirectory.import.recheck')}</button>
      </div>
    </form>
  )
}
