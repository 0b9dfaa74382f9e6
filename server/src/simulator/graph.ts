import type { FastifyRequest } from 'fastify'
import { fbtraceId } from './ids.js'
import { bearerToken, requestParams, stringParam } from './platform-call.js'
import type { SimAccount, SimKind } from './types.js'

/**
 * What every Graph route shares: the error bodies, the token checks and `fields` selection.
 * https://developers.facebook.com/docs/graph-api/guides/error-handling
 */

export const metaKinds: readonly SimKind[] = ['facebook', 'instagram', 'whatsapp']

export interface GraphRoute {
  Params: { version: string; id: string }
}

export function graphError(code: number, message: string, extra: Record<string, unknown> = {}, type = 'OAuthException') {
  return { error: { message, type, code, ...extra, fbtrace_id: fbtraceId() } }
}

export const invalidToken = () => graphError(190, 'Invalid OAuth access token - Cannot parse access token')
export const missingToken = () => graphError(104, 'An access token is required to request this resource.')
export const param100 = (message: string) => graphError(100, `(#100) ${message}`)

/**
 * Graph's answer for an id that does not exist (never did, or was deleted), that the token may not see, or that
 * has no such edge: 400, GraphMethodException code 100, subcode 33. The method is named as Graph names it.
 */
export function unknownObject(id: string, method: 'get' | 'post' | 'delete') {
  return graphError(
    100,
    `Unsupported ${method} request. Object with ID '${id}' does not exist, cannot be loaded due to missing permissions, ` +
      'or does not support this operation. Please read the Graph API documentation at https://developers.facebook.com/docs/graph-api',
    { error_subcode: 33 },
    'GraphMethodException',
  )
}

export function graphToken(request: FastifyRequest): string | undefined {
  return stringParam(requestParams(request), 'access_token') || bearerToken(request)
}

/** Graph's answer to a missing or wrong token, or undefined when the token is good for the account. */
export function tokenProblem(account: SimAccount, token: string | undefined) {
  if (!token) return { status: 400, body: missingToken() }
  const expected = account.secrets.accessToken
  if (expected && token !== expected) return { status: 401, body: invalidToken() }
  return undefined
}

/** Graph's time format for created_time and timestamp: 2026-01-01T00:00:00+0000. */
export const graphTime = (at: Date) => at.toISOString().replace(/\.\d{3}Z$/, '+0000')

/** `a,b{c,d},e` → [a], [b, 'c,d'], [e]: the top-level fields and their subfield selections. */
export function parseFields(fields: string): [string, string | undefined][] {
  const out: [string, string | undefined][] = []
  let depth = 0
  let start = 0
  const push = (end: number) => {
    const part = fields.slice(start, end).trim()
    if (!part) return
    const brace = part.indexOf('{')
    out.push(brace < 0 ? [part, undefined] : [part.slice(0, brace).trim(), part.slice(brace + 1, part.lastIndexOf('}'))])
  }
  for (let index = 0; index < fields.length; index++) {
    const char = fields[index]
    if (char === '{') depth++
    else if (char === '}') depth--
    else if (char === ',' && depth === 0) {
      push(index)
      start = index + 1
    }
  }
  push(fields.length)
  return out
}

/**
 * Only the requested fields (plus id), as Graph does; `edge{a,b}` narrows an edge's objects (`{data: […]}`) or a
 * nested object to those subfields.
 */
export function pickFields(node: Record<string, unknown>, fields: string | undefined, withId = true): Record<string, unknown> {
  if (!fields) return node
  const wanted = new Map(parseFields(fields))
  if (withId) wanted.set('id', wanted.get('id'))
  const out: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(node)) {
    if (!wanted.has(key)) continue
    const subfields = wanted.get(key)
    out[key] = subfields && value && typeof value === 'object' ? narrow(value as Record<string, unknown>, subfields) : value
  }
  return out
}

function narrow(value: Record<string, unknown>, subfields: string): Record<string, unknown> {
  const data = value.data
  if (!Array.isArray(data)) return pickFields(value, subfields, false)
  return { ...value, data: data.map((item: Record<string, unknown>) => pickFields(item, subfields, false)) }
}
