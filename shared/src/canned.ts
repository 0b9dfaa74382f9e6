import { Type, type Static } from '@sinclair/typebox'
import { Id, IsoDateTime } from './common.js'
import { defineRoute } from './contract.js'

export const CannedReply = Type.Object({
  id: Id,
  /** Null: for every team. */
  teamId: Type.Union([Id, Type.Null()]),
  shortcut: Type.String(),
  title: Type.String(),
  body: Type.String(),
  updatedAt: IsoDateTime,
})
export type CannedReply = Static<typeof CannedReply>

const CannedReplyInput = {
  shortcut: Type.String({ minLength: 1, maxLength: 40, pattern: '^[a-z0-9][a-z0-9_-]*$' }),
  title: Type.String({ minLength: 1, maxLength: 120 }),
  body: Type.String({ minLength: 1, maxLength: 5000 }),
  teamId: Type.Union([Id, Type.Null()]),
}

export const cannedRepliesApi = {
  list: defineRoute({
    method: 'GET',
    url: '/api/canned-replies',
    summary: "Canned replies: everyone's and your teams' (all of them for admins)",
    tags: ['canned replies'],
    access: { role: 'agent' },
    schema: { response: { 200: Type.Object({ items: Type.Array(CannedReply) }) } },
  }),
  create: defineRoute({
    method: 'POST',
    url: '/api/canned-replies',
    summary: 'Add a canned reply (team leads and admins)',
    tags: ['canned replies'],
    access: { role: 'lead' },
    schema: { body: Type.Object(CannedReplyInput, { additionalProperties: false }), response: { 200: CannedReply } },
  }),
  update: defineRoute({
    method: 'PATCH',
    url: '/api/canned-replies/:id',
    summary: 'Change a canned reply (team leads and admins)',
    tags: ['canned replies'],
    access: { role: 'lead' },
    schema: {
      params: Type.Object({ id: Id }),
      body: Type.Partial(Type.Object(CannedReplyInput), { additionalProperties: false, minProperties: 1 }),
      response: { 200: CannedReply },
    },
  }),
  remove: defineRoute({
    method: 'DELETE',
    url: '/api/canned-replies/:id',
    summary: 'Delete a canned reply (team leads and admins)',
    tags: ['canned replies'],
    access: { role: 'lead' },
    schema: { params: Type.Object({ id: Id }), response: { 200: Type.Object({ ok: Type.Literal(true) }) } },
  }),
}

/** The variables a canned reply may use, and what each becomes. */
export const cannedVariables = ['customer.name', 'customer.first_name', 'agent.name', 'agent.first_name', 'channel.name'] as const
export type CannedVariable = (typeof cannedVariables)[number]

function firstName(name: string | null | undefined): string {
  return (name ?? '').trim().split(/\s+/)[0] ?? ''
}

/**
 * Fills `{{customer.first_name}}` and the like. A variable with no value (a customer with no known name)
 * becomes empty, and the space or comma before it goes too ("Hi {{customer.first_name}}," → "Hi,").
 * Unknown variables stay as written, so a typo is visible before sending.
 */
export function renderCannedReply(body: string, values: { customerName: string | null; agentName: string; channelName: string }): string {
  const byName: Record<CannedVariable, string> = {
    'customer.name': values.customerName?.trim() ?? '',
    'customer.first_name': firstName(values.customerName),
    'agent.name': values.agentName,
    'agent.first_name': firstName(values.agentName),
    'channel.name': values.channelName,
  }
  return body.replace(/( ?)\{\{\s*([a-z_.]+)\s*\}\}/g, (whole, space: string, name: string) => {
    if (!(name in byName)) return whole
    const value = byName[name as CannedVariable]
    return value ? `${space}${value}` : ''
  })
}
