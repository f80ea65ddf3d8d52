import { z } from 'zod'
import { locales, roles, unitKinds } from '#db/schema/index.js'

export { roles }

const trimmed = (max: number) => z.string().trim().min(1).max(max)

/** A unit as the admin API and the CSV import accept it. */
export const unitInputSchema = z.object({
  code: trimmed(64).regex(/^[A-Za-z0-9._-]+$/, 'api.checks.unitCode'),
  name: trimmed(300),
  kind: z.enum(unitKinds),
  parentCode: trimmed(64).optional().nullable(),
  staffCount: z.number().int().min(0).max(1_000_000).optional().nullable(),
})
export type UnitInput = z.infer<typeof unitInputSchema>

/** PATCH /api/units/:code: any of the fields, at least one; parentCode null puts the unit at the top. */
export const unitPatchSchema = z
  .strictObject({
    code: unitInputSchema.shape.code.optional(),
    name: trimmed(300).optional(),
    kind: z.enum(unitKinds).optional(),
    parentCode: trimmed(64).nullable().optional(),
    staffCount: z.number().int().min(0).max(1_000_000).nullable().optional(),
  })
  .refine((p) => Object.keys(p).length > 0, { message: 'api.checks.noUnitFields' })
export type UnitPatch = z.infer<typeof unitPatchSchema>

/** Vietnamese mobile numbers as people write them: 0912 345 678, +84912345678, 84-912-345-678. */
const phoneSchema = z
  .string()
  .trim()
  .transform((p) => p.replace(/[\s.()-]/g, ''))
  .pipe(z.string().regex(/^(\+?84|0)\d{9,10}$/, 'api.checks.phone'))

const rolesSchema = z
  .array(z.enum(roles))
  .min(1)
  .max(roles.length)
  .transform((r) => [...new Set(r)])

export const personInputSchema = z.object({
  externalId: trimmed(100).optional().nullable(),
  fullName: trimmed(200),
  unitCode: trimmed(64),
  roles: rolesSchema,
  /** null clears the phone on file; left out keeps it. */
  phone: phoneSchema.optional().nullable(),
  locale: z.enum(locales).optional(),
})
export type PersonInput = z.infer<typeof personInputSchema>

/** PATCH /api/people/:id: any of the fields, at least one; null clears the phone or the external id. */
export const personPatchSchema = z
  .strictObject({
    externalId: trimmed(100).nullable().optional(),
    fullName: trimmed(200).optional(),
    unitCode: trimmed(64).optional(),
    roles: rolesSchema.optional(),
    phone: phoneSchema.nullable().optional(),
    locale: z.enum(locales).optional(),
  })
  .refine((p) => Object.keys(p).length > 0, { message: 'api.checks.noFields' })
export type PersonPatch = z.infer<typeof personPatchSchema>
