/**
 * Words for what a platform answers to "Test connection" and "Register webhook". The connectors' own errors speak of
 * replies and retries; these speak to an admin who has just pasted credentials into a form.
 */
import { ConnectorError } from './connector.js'
import type { PlatformResponse } from './http.js'

/** A ConnectorError already worded for the admin (the platform answered, or the form lacks something). */
export class ConnectionProblem extends ConnectorError {
  constructor(message: string, status?: number, platformCode?: string) {
    super(message, { retryable: false, ...(status !== undefined && { status }), ...(platformCode !== undefined && { platformCode }), outcome: 'rejected' })
    this.name = 'ConnectionProblem'
  }
}

/** A check is a person waiting at a form: a platform that has not answered in 10 s will not help them. */
export const checkTimeoutMs = 10_000

/**
 * The platform answered with an error status: what it means for the credentials, with the platform's own words.
 * `credential` names what the admin typed ("bot token", "access token").
 */
export function checkRefused(
  platform: string,
  response: PlatformResponse,
  said: string | undefined,
  credential: string,
  platformCode?: string,
): ConnectionProblem {
  const { status } = response
  const quote = said ? ` ${platform} said: "${said.slice(0, 300)}".` : ''
  let words: string
  if (status === 401) {
    words = `${platform} does not accept this ${credential} (HTTP 401).${quote} Copy it again from where it was created: it may be mistyped, revoked or expired.`
  } else if (status === 403) {
    // Known but not allowed: a new copy of the same token would be refused the same way.
    words = `${platform} knows this ${credential} but does not allow it this (HTTP 403).${quote} Give it the missing permission or scope (or the app the access level it needs) where it was created.`
  } else if (status === 404) {
    words = `${platform} answered "not found" (HTTP 404).${quote} Check the API base URL and the id.`
  } else if (status === 429) {
    words = `${platform} is limiting how often it may be asked (HTTP 429): try again in a few minutes.${quote}`
  } else if (status >= 500) {
    words = `${platform} had a problem of its own answering (HTTP ${status}): try again later.${quote}`
  } else {
    words = `${platform} refused the request (HTTP ${status}).${quote}`
  }
  return new ConnectionProblem(words, status, platformCode)
}

/** A success status with a body the platform's API would never send: the base URL most likely points elsewhere. */
export function notThePlatform(platform: string, response: PlatformResponse): ConnectionProblem {
  return new ConnectionProblem(
    `The API base URL answered (HTTP ${response.status}), but not as the ${platform} API does: check the API base URL.`,
    response.status,
  )
}

/** Credentials the form still lacks: the check would only be refused. */
export function missingCredential(what: string): ConnectionProblem {
  return new ConnectionProblem(`Fill in the ${what} to test the connection.`)
}

/**
 * A failure before any answer (http.ts words it for sends: "nothing was sent", "whether it acted is unknown"): said
 * again for a check, naming the address Carebox tried.
 */
export function unreachableWords(error: ConnectorError, apiBaseUrl: string): string {
  const where = URL.canParse(apiBaseUrl) ? new URL(apiBaseUrl).origin : apiBaseUrl
  if (error.outcome === 'not_sent') {
    const reason = /\(([^)]+)\)/.exec(error.message)?.[1] ?? error.message
    return `Carebox could not reach ${where} (${reason}). Check the API base URL, and that this server may connect to it.`
  }
  if (/did not answer within/.test(error.message)) {
    return `${where} did not answer within ${checkTimeoutMs / 1000} seconds. Check the API base URL, or try again later.`
  }
  return `The connection to ${where} broke before it answered. Try again; if it keeps happening, check the API base URL.`
}

/**
 * The Authorization header for a bearer token typed into a form. A token with spaces or non-ASCII characters (a
 * stray line break when pasting) cannot go in a header at all: say so rather than fail to send.
 */
export function bearerHeaders(token: string | undefined, what: string): Record<string, string> {
  const value = token?.trim()
  if (!value) throw missingCredential(what)
  if (!/^[\x21-\x7e]+$/.test(value)) throw new ConnectionProblem(`The ${what} contains spaces or characters no token has: copy it again.`)
  return { authorization: `Bearer ${value}`, accept: 'application/json' }
}

/** A string field of a platform's answer, when present and not empty. */
export function textField(body: Record<string, unknown>, field: string): string | undefined {
  const value = body[field]
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined
}
