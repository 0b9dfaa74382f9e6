import { Type, type Static, type TSchema } from '@sinclair/typebox'
import { ChannelKind } from './channels.js'
import { Id, IsoDateTime, StringEnum } from './common.js'
import { ContactAttributes } from './contacts.js'
import { defineRoute } from './contract.js'

function Nullable<T extends TSchema>(schema: T) {
  return Type.Union([schema, Type.Null()])
}

/** The keys a CRM can find a customer by, strongest first (integrations spec §5). */
export const upsertMatchKeys = ['external_id', 'email', 'phone'] as const
export const UpsertMatchKey = StringEnum(upsertMatchKeys)
export type UpsertMatchKey = (typeof upsertMatchKeys)[number]

const CrmText = Nullable(Type.String({ maxLength: 200 }))

/**
 * What a CRM pushes about one customer. snake_case, as the integrations spec writes it: this is the public API
 * other systems call. A field left out is left as it is; null clears it.
 */
export const ContactUpsert = Type.Object(
  {
    match_on: Type.Optional(
      Type.Array(UpsertMatchKey, {
        minItems: 1,
        uniqueItems: true,
        description:
          'The keys to match on, in priority order (default external_id, email, phone). A key left out is stored but not matched on; an external_id always belongs to one customer, so it is always matched.',
      }),
    ),
    system: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 40,
        pattern: '^[a-z0-9][a-z0-9_.-]*$',
        description: "Which system external_id belongs to (default 'crm'), e.g. 'hubspot'",
      }),
    ),
    external_id: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: "The customer's id in that system" })),
    url: Type.Optional(
      Type.String({ minLength: 1, maxLength: 2000, description: "An http(s) link to the customer's record in that system (needs external_id)" }),
    ),
    email: Type.Optional(Nullable(Type.String({ maxLength: 254, description: 'Trimmed and lower-cased before it is stored' }))),
    phone: Type.Optional(Nullable(Type.String({ maxLength: 40, description: 'Any common format; stored in E.164' }))),
    default_region: Type.Optional(
      Type.String({ pattern: '^[A-Z]{2}$', description: 'ISO 3166 country whose national format a phone without +country code is read in, e.g. GB' }),
    ),
    name: Type.Optional(CrmText),
    company: Type.Optional(CrmText),
    tier: Type.Optional(CrmText),
    owner: Type.Optional(CrmText),
    lifetime_value: Type.Optional(Nullable(Type.Number({ minimum: 0, maximum: 1e13 }))),
    currency: Type.Optional(Nullable(Type.String({ pattern: '^[A-Z]{3}$', description: 'ISO 4217 code of lifetime_value, e.g. EUR' }))),
    attributes: Type.Optional(ContactAttributes),
  },
  { additionalProperties: false },
)
export type ContactUpsert = Static<typeof ContactUpsert>

export const UpsertResult = Type.Object({
  /** The customer created or updated; in a conflict, the one the strongest key found. */
  id: Id,
  result: StringEnum(['created', 'updated', 'matched_conflict']),
  /** In a conflict: every customer the keys point at. Nothing was changed and nothing merged. */
  conflicting_ids: Type.Optional(Type.Array(Id)),
  /** What the upsert changed (empty when it matched a customer already up to date). */
  changed: Type.Array(Type.String()),
})
export type UpsertResult = Static<typeof UpsertResult>

export const ExternalIdRef = Type.Object({
  system: Type.String(),
  externalId: Type.String(),
  /** Only ever http or https. */
  url: Nullable(Type.String()),
})
export type ExternalIdRef = Static<typeof ExternalIdRef>

/** Another customer who may be this same person: they share an email or a phone. */
export const MergeSuggestion = Type.Object({
  id: Id,
  name: Nullable(Type.String()),
  handle: Nullable(Type.String()),
  /** Their channels the viewer may see (none for a customer known only from the CRM). */
  channels: Type.Array(Type.Object({ kind: ChannelKind, name: Type.String() })),
  sameEmail: Type.Boolean(),
  samePhone: Type.Boolean(),
})
export type MergeSuggestion = Static<typeof MergeSuggestion>

/** A customer's identity keys and what a CRM told about them, beside the conversation. */
export const ContactCrm = Type.Object({
  contactId: Id,
  email: Nullable(Type.String()),
  /** E.164. */
  phone: Nullable(Type.String()),
  company: Nullable(Type.String()),
  tier: Nullable(Type.String()),
  owner: Nullable(Type.String()),
  lifetimeValue: Nullable(Type.Number()),
  currency: Nullable(Type.String()),
  externalIds: Type.Array(ExternalIdRef),
  crmUpdatedAt: Nullable(IsoDateTime),
  suggestions: Type.Array(MergeSuggestion),
})
export type ContactCrm = Static<typeof ContactCrm>

const ContactParams = Type.Object({ id: Id })

export const crmApi = {
  upsert: defineRoute({
    method: 'POST',
    url: '/api/v1/contacts/upsert',
    summary:
      'Create or update a customer from a CRM, matched by external_id, then email, then phone. Keys pointing at two customers are reported as matched_conflict, never merged. A token limited to teams cannot touch a customer whose channels and conversations are all other teams’.',
    tags: ['contacts', 'integrations'],
    access: { role: 'admin', scope: 'contacts:write' },
    schema: { body: ContactUpsert, response: { 200: UpsertResult } },
  }),
  get: defineRoute({
    method: 'GET',
    url: '/api/contacts/:id/crm',
    summary: "A customer's email, phone, CRM fields and records elsewhere, and customers who may be the same person",
    tags: ['contacts'],
    access: { role: 'agent', scope: 'conversations:read' },
    schema: { params: ContactParams, response: { 200: ContactCrm } },
  }),
  updateKeys: defineRoute({
    method: 'PATCH',
    url: '/api/contacts/:id/keys',
    summary: "Change a customer's email or phone (null or empty clears it); the phone needs its +country code",
    tags: ['contacts'],
    access: { role: 'agent' },
    schema: {
      params: ContactParams,
      body: Type.Object(
        { email: Type.Optional(Nullable(Type.String({ maxLength: 254 }))), phone: Type.Optional(Nullable(Type.String({ maxLength: 40 }))) },
        { additionalProperties: false, minProperties: 1 },
      ),
      response: { 200: ContactCrm },
    },
  }),
}
