import { FormatRegistry, Type, type Static, type TUnsafe } from '@sinclair/typebox'

// TypeBox's own checker (Value.Check) knows no formats until they are registered; Fastify's ajv has its own.
const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
if (!FormatRegistry.Has('uuid')) FormatRegistry.Set('uuid', (value) => uuidPattern.test(value))
if (!FormatRegistry.Has('email')) FormatRegistry.Set('email', (value) => /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value))
if (!FormatRegistry.Has('date-time')) FormatRegistry.Set('date-time', (value) => !Number.isNaN(Date.parse(value)) && /^\d{4}-\d{2}-\d{2}T/.test(value))

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
  /** A reply or note landed since the sender last looked: send again with `confirmCrossing` if still wanted. */
  crossed_reply: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  internal: 500,
  unavailable: 503,
} as const
export type ErrorCode = keyof typeof errorCodes

export const ErrorBody = Type.Object({
  error: Type.Object({
    code: StringEnum(Object.keys(errorCodes) as (keyof typeof errorCodes)[]),
    message: Type.String(),
  }),
})
export type ErrorBody = { error: { code: ErrorCode; message: string } }

/**
 * A string enum: at run time a union of literals (which both ajv and TypeBox's own checker understand),
 * typed as the literal union (TypeScript loses it in a Type.Union over a mapped array).
 */
export function StringEnum<const T extends readonly string[]>(values: T, options: { description?: string } = {}): TUnsafe<T[number]> {
  return Type.Union(
    values.map((value) => Type.Literal(value)),
    options,
  ) as unknown as TUnsafe<T[number]>
}
