import { z } from 'zod'

export type ErrorCode =
  | 'invalid_input'
  | 'unprocessable'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'payload_too_large'
  | 'internal'

const statusOf: Record<ErrorCode, 400 | 401 | 403 | 404 | 409 | 413 | 422 | 500> = {
  invalid_input: 400,
  unprocessable: 422,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  internal: 500,
}

/** An error the API answers as `{"error":{"code","message","details"}}` with a fitting status. */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message)
    this.name = 'AppError'
  }
  get status() {
    return statusOf[this.code]
  }
}

export interface ErrorBody {
  error: { code: ErrorCode; message: string; details?: unknown }
}

export function errorBody(code: ErrorCode, message: string, details?: unknown): ErrorBody {
  return { error: details === undefined ? { code, message } : { code, message, details } }
}

export function zodDetails(err: z.ZodError) {
  return err.issues.map((i) => ({ path: i.path.join('.'), message: i.message }))
}

export function toErrorResponse(err: unknown): { status: number; body: ErrorBody } | null {
  if (err instanceof AppError) return { status: err.status, body: errorBody(err.code, err.message, err.details) }
  if (err instanceof z.ZodError)
    return { status: 400, body: errorBody('invalid_input', 'The request is not valid.', zodDetails(err)) }
  return null
}
