import { periodInputSchema, type PeriodInput } from '#src/domain/reporting/periods.js'
import { field, fields } from '../../form.js'

/** The create-period form as typed, kept to show it again with its problem. */
export type PeriodForm = { name: string; due: string; closes: string; kinds: string[]; codes: string; subunits: boolean }
export const emptyPeriodForm: PeriodForm = { name: '', due: '', closes: '', kinds: [], codes: '', subunits: true }

export function readPeriodForm(body: Record<string, unknown>): PeriodForm {
  return {
    name: field(body, 'name'),
    due: field(body, 'due'),
    closes: field(body, 'closes'),
    kinds: fields(body, 'kinds'),
    codes: field(body, 'codes'),
    subunits: field(body, 'subunits') === '1',
  }
}

/** The form as the API's period input (days already read as dd/mm/yyyy); throws the schema's ZodError. */
export function periodInput(form: PeriodForm, due: string, closes: string | undefined): PeriodInput {
  return periodInputSchema.parse({
    name: form.name,
    dueAt: due,
    ...(closes ? { closesAt: closes } : {}),
    unitKinds: form.kinds,
    unitCodes: form.codes.split(/[,;\s]+/).filter(Boolean),
    includeSubunits: form.subunits,
  })
}
