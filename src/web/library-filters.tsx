import { productKinds } from '../domain/library/pages.js'
import type { ProductKind } from '#db/schema/index.js'
import type { Translate } from '../i18n.js'

/**
 * The library's kind and year filters, one field each, as the console's list (/admin/library) and
 * the public search (/thu-vien) both show them; `any` is the empty choice's label.
 */
export function KindFilter({ t, label, any, value }: { t: Translate; label: string; any: string; value: ProductKind | undefined }) {
  return (
    <div>
      <label for="kind">{label}</label>
      <select id="kind" name="kind">
        <option value="">{any}</option>
        {productKinds.map((k) => (
          <option value={k} selected={k === value}>
            {t(`library.kinds.${k}`)}
          </option>
        ))}
      </select>
    </div>
  )
}

export function YearFilter({ label, any, years, value }: { label: string; any: string; years: readonly number[]; value: number | undefined }) {
  return (
    <div>
      <label for="year">{label}</label>
      <select id="year" name="year">
        <option value="">{any}</option>
        {years.map((y) => (
          <option value={String(y)} selected={y === value}>
            {y}
          </option>
        ))}
      </select>
    </div>
  )
}
