import type { Child } from 'hono/jsx'

/** One column of a DataTable: its heading, and how a row fills its cell. */
export interface Column<R> {
  head: Child
  cell: (row: R, index: number) => Child
  /** The row's header cell (`<th scope="row">`), read out with every other cell of the row. */
  rowHeader?: boolean
  /** A figure: heading and cells right-aligned (class `num`). */
  num?: boolean
}

type Attributes = Record<string, string | number | boolean | undefined>

/**
 * A scrollable table with headed columns: `columns` turn each of `rows` into cells, `rowAttributes`
 * mark a row (data-* for tests and scripts); `labelledBy`/`describedBy` name the table for screen readers.
 */
export function DataTable<R>(props: { columns: readonly Column<R>[]; rows: readonly R[]; rowAttributes?: (row: R, index: number) => Attributes; labelledBy?: string; describedBy?: string; tableAttributes?: Attributes }) {
  const { columns } = props
  return (
    <div class="table-wrap" tabindex={0}>
      <table aria-labelledby={props.labelledBy} aria-describedby={props.describedBy} {...props.tableAttributes}>
        <thead>
          <tr>
            {columns.map((col) => (
              <th scope="col" class={col.num ? 'num' : undefined}>
                {col.head}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {props.rows.map((row, i) => (
            <tr {...props.rowAttributes?.(row, i)}>
              {columns.map((col) =>
                col.rowHeader ? <th scope="row">{col.cell(row, i)}</th> : <td class={col.num ? 'num' : undefined}>{col.cell(row, i)}</td>,
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}
