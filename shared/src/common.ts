import { Type, type Static } from '@sinclair/typebox'

export const Id = Type.String({ format: 'uuid' })
export type Id = Static<typeof Id>

/** Timestamps cross the wire as ISO 8601 strings; a Date never appears in a shared type. */
export const IsoDateTime = Type.String({ format: 'date-time' })
export type IsoDateTime = Static<typeof IsoDateTime>

/** Every error the API can answer with. The client switches on `code`, never on the message. */
export const errorCodes = {
  validation_failed: 400,
  bad_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  internal: 500,
  unavailable: 503,
} as const
export type ErrorCode = keyof typeof errorCodes

export const ErrorBody = Type.Object({
  error: Type.Object({
    code: Type.Union(Object.keys(errorCodes).map((code) => Type.Literal(code))),
    message: Type.String(),
  }),
})
export type ErrorBody = { error: { code: ErrorCode; message: string } }
