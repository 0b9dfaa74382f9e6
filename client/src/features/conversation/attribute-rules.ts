import { contactsApi } from '@carebox/shared'

// Read from the contract, so the form refuses exactly what the server would.
const attributesSchema = contactsApi.update.schema.body.properties.attributes
const [keySource, valueSchema] = Object.entries(attributesSchema.patternProperties)[0] ?? ['^[A-Za-z][A-Za-z0-9 _-]{0,39}$', { maxLength: 500 }]
/** A name starts with a letter: "plan", "Order number", "vip_since". */
export const attributeKeyPattern = new RegExp(keySource)
export const maxAttributes = attributesSchema.maxProperties ?? 30
export const maxAttributeValueLength = valueSchema.maxLength ?? 500
export const maxAttributeKeyLength = 40

/** Why a new attribute cannot be added, or null. */
export function attributeProblem(key: string, value: string, attributes: Record<string, string>): string | null {
  if (!attributeKeyPattern.test(key)) return 'A name starts with a letter and has letters, digits, spaces, _ or - (up to 40).'
  if (key in attributes) return `${key} is set already: edit it instead.`
  if (value.trim() === '') return 'Give it a value.'
  return null
}

/** The attributes with `key` set to `value`, or removed when `value` is null. */
export function withAttribute(attributes: Record<string, string>, key: string, value: string | null): Record<string, string> {
  const { [key]: _previous, ...rest } = attributes
  return value === null ? rest : { ...rest, [key]: value }
}
