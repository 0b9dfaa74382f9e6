import { Type } from '@sinclair/typebox'
import { Id } from './common.js'
import { defineRoute } from './contract.js'
import { CustomerPanel, Tag } from './conversations.js'

const ContactParams = Type.Object({ id: Id })

/** A customer's custom attributes: short names, short text values (set by agents, or pushed by a CRM). */
export const ContactAttributes = Type.Record(Type.String({ pattern: '^[A-Za-z][A-Za-z0-9 _-]{0,39}$' }), Type.String({ maxLength: 500 }), {
  maxProperties: 30,
  additionalProperties: false,
})

export const ContactMatch = Type.Object({
  id: Id,
  name: Type.Union([Type.String(), Type.Null()]),
  handle: Type.Union([Type.String(), Type.Null()]),
  channels: Type.Array(Type.String()),
})

export const contactsApi = {
  search: defineRoute({
    method: 'GET',
    url: '/api/contacts',
    summary: 'Customers by part of their name or handle: to find the other half of a merge',
    tags: ['contacts'],
    access: { role: 'agent', scope: 'conversations:read' },
    schema: {
      querystring: Type.Object({ q: Type.String({ minLength: 2, maxLength: 100 }) }, { additionalProperties: false }),
      response: { 200: Type.Object({ items: Type.Array(ContactMatch) }) },
    },
  }),
  get: defineRoute({
    method: 'GET',
    url: '/api/contacts/:id',
    summary: "A customer's panel: identities, earlier conversations, tags, notes, attributes (a customer you can see)",
    tags: ['contacts'],
    access: { role: 'agent', scope: 'conversations:read' },
    schema: { params: Type.Object({ id: Id }), response: { 200: CustomerPanel } },
  }),
  update: defineRoute({
    method: 'PATCH',
    url: '/api/contacts/:id',
    summary: "Change a customer's tags or custom attributes",
    tags: ['contacts'],
    access: { role: 'agent' },
    schema: {
      params: ContactParams,
      body: Type.Object(
        {
          tags: Type.Optional(Type.Array(Tag, { maxItems: 20, uniqueItems: true })),
          attributes: Type.Optional(ContactAttributes),
        },
        { additionalProperties: false, minProperties: 1 },
      ),
      response: { 200: CustomerPanel },
    },
  }),
  addNote: defineRoute({
    method: 'POST',
    url: '/api/contacts/:id/notes',
    summary: 'Add a note about the customer, seen by teammates beside every conversation with them',
    tags: ['contacts'],
    access: { role: 'agent' },
    schema: {
      params: ContactParams,
      body: Type.Object({ text: Type.String({ minLength: 1, maxLength: 2000 }) }, { additionalProperties: false }),
      response: { 200: CustomerPanel },
    },
  }),
  merge: defineRoute({
    method: 'POST',
    url: '/api/contacts/:id/merge',
    summary: 'Merge another contact into this one (same person on another channel): identities, conversations and notes move here',
    tags: ['contacts'],
    access: { role: 'agent' },
    schema: {
      params: ContactParams,
      body: Type.Object({ otherContactId: Id }, { additionalProperties: false }),
      response: { 200: CustomerPanel },
    },
  }),
  undoMerge: defineRoute({
    method: 'POST',
    url: '/api/contacts/:id/merges/:mergeId/undo',
    summary: 'Undo a merge: what it moved goes back to the other contact',
    tags: ['contacts'],
    access: { role: 'agent' },
    schema: { params: Type.Object({ id: Id, mergeId: Id }), response: { 200: CustomerPanel } },
  }),
}
