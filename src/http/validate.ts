import type { Context } from 'hono'
import type { z } from 'zod'
import { AppError, zodDetails, zodErrorMap } from '../errors.js'
import { localeOf } from './locale.js'

/** Reads a JSON body and checks it against `schema`: 400 for malformed JSON or a shape that does not fit. */
export async function readJson<T extends z.ZodType>(c: Context, schema: T): Promise<z.infer<T>> {
  let body: unknown
  const text = await c.req.text()
  try {
    // An empty body reads as "no fields", so optional-only routes work with a bare POST.
    body = text.trim() === '' ? undefined : JSON.parse(text)
  } catch {
    throw new AppError('invalid_input', 'api.errors.invalidJson')
  }
  const parsed = schema.safeParse(body, { error: zodErrorMap(localeOf(c)) })
  if (!parsed.success) throw new AppError('invalid_input', 'api.errors.invalidRequest', undefined, zodDetails(parsed.error))
  return parsed.data
}

export function readQuery<T extends z.ZodType>(c: Context, schema: T): z.infer<T> {
  const parsed = schema.safeParse(c.req.query(), { error: zodErrorMap(localeOf(c)) })
  if (!parsed.success) throw new AppError('invalid_input', 'api.errors.invalidQuery', undefined, zodDetails(parsed.error))
  return parsed.data
}

export function idParam(c: Context, name = 'id'): number {
  const raw = c.req.param(name) ?? ''
  const id = Number(raw)
  if (!/^\d{1,15}$/.test(raw) || !Number.isSafeInteger(id)) throw new AppError('not_found', 'api.errors.noRecord', { id: raw })
  return id
}
