import { Type, type Static } from '@sinclair/typebox'
import { StringEnum } from './common.js'

// Fields shared by conversations, SLA policies and rules, apart so those modules need not import each other.

export const priorities = ['low', 'normal', 'high', 'urgent'] as const
export const Priority = StringEnum(priorities)
export type Priority = Static<typeof Priority>

export const Tag = Type.String({ minLength: 1, maxLength: 40, pattern: '^[^\\s,]+$' })

/** A language as an IETF tag's language part: en, es, cs, ja, zh… */
export const LanguageCode = Type.String({ pattern: '^[a-z]{2,3}$' })
