/**
 * GET for URLs that come from outside (attachment links in platform payloads): the server must never become a way
 * to reach its own network. Every hop's destination is checked before connecting, and the connection goes to the
 * very address that was checked, so a DNS answer that changes between check and connect (rebinding) cannot slip
 * through. Built on node:http rather than fetch because fetch offers no hook to pin the resolved address.
 */
import { lookup as resolveHost } from 'node:dns/promises'
import type { LookupAddress } from 'node:dns'
import http, { type IncomingHttpHeaders, type IncomingMessage } from 'node:http'
import https from 'node:https'
import { isIP, type LookupFunction } from 'node:net'
import ipaddr from 'ipaddr.js'

export type SafeFetchReason =
  | 'bad_url'
  | 'blocked_address'
  | 'too_many_redirects'
  | 'too_large'
  | 'timeout'
  | 'bad_status'
  /** DNS found nothing, or the connection failed or broke off. */
  | 'unreachable'

export class SafeFetchError extends Error {
  readonly reason: SafeFetchReason
  /** The upstream status, for 'bad_status'. */
  readonly status: number | undefined

  constructor(reason: SafeFetchReason, message: string, status?: number) {
    super(message)
    this.name = 'SafeFetchError'
    this.reason = reason
    this.status = status
  }
}

export interface SafeFetchOptions {
  /**
   * Exact origins (`http://127.0.0.1:4010`) exempt from the address check: the demo's platform simulator on this
   * machine. A redirect away from one is checked like any other hop.
   */
  allowOrigins: readonly string[]
  /** Largest body accepted, counted while it streams in. */
  maxBytes: number
  /** For the whole fetch: DNS, connection, every redirect and the body. */
  timeoutMs: number
  headers?: Record<string, string>
}

export interface SafeFetchResponse {
  /** Where the body finally came from, after redirects. */
  url: string
  status: number
  headers: IncomingHttpHeaders
  body: Buffer
}

const maxRedirects = 3
const redirectStatuses = new Set([301, 302, 303, 307, 308])
/** Headers that must not follow a redirect to another origin. */
const credentialHeaders = new Set(['authorization', 'cookie', 'proxy-authorization'])
// range() calls IPv4-compatible addresses (::a.b.c.d) plain unicast; nothing outside 2000::/3 is public.
const ipv6GlobalUnicast = ipaddr.IPv6.parseCIDR('2000::/3')

/** True only for public unicast addresses: never loopback, private, link-local, CGNAT, multicast, reserved… */
export function isPublicAddress(address: string): boolean {
  if (!ipaddr.isValid(address)) return false
  // process() turns ::ffff:127.0.0.1 into 127.0.0.1, so mapped forms are judged as the IPv4 address they reach.
  const parsed = ipaddr.process(address)
  if (parsed.range() !== 'unicast') return false
  return parsed.kind() === 'ipv4' || parsed.match(ipv6GlobalUnicast)
}

export async function safeFetch(url: string, options: SafeFetchOptions): Promise<SafeFetchResponse> {
  const allowed = new Set(options.allowOrigins.map(originOf).filter((origin) => origin !== undefined))
  const controller = new AbortController()
  const timer = setTimeout(() => controller.abort(), options.timeoutMs)
  try {
    let target = parseTarget(url)
    let headers: Record<string, string> = { 'user-agent': 'Carebox', ...options.headers, 'accept-encoding': 'identity' }
    for (let redirects = 0; ; redirects++) {
      const addresses = await checkedAddresses(target, allowed, controller.signal)
      const response = await send(target, addresses, headers, controller.signal)
      const status = response.statusCode ?? 0
      if (redirectStatuses.has(status)) {
        response.destroy()
        if (redirects === maxRedirects) {
          throw new SafeFetchError('too_many_redirects', `More than ${maxRedirects} redirects, starting at ${originOf(url) ?? url}`)
        }
        const location = response.headers.location
        if (!location) throw new SafeFetchError('bad_status', `HTTP ${status} redirect without a Location`, status)
        const next = parseTarget(resolveLocation(location, target))
        if (next.origin !== target.origin) headers = withoutCredentials(headers)
        target = next
        continue
      }
      if (status < 200 || status >= 300) {
        response.destroy()
        throw new SafeFetchError('bad_status', `${target.origin} answered HTTP ${status}`, status)
      }
      const body = await readBody(response, options.maxBytes, controller.signal)
      return { url: target.href, status, headers: response.headers, body }
    }
  } catch (error) {
    if (error instanceof SafeFetchError) throw error
    if (controller.signal.aborted) throw new SafeFetchError('timeout', `No complete answer within ${options.timeoutMs} ms`)
    throw new SafeFetchError('unreachable', `Could not fetch: ${(error as Error).message}`)
  } finally {
    clearTimeout(timer)
  }
}

function originOf(url: string): string | undefined {
  try {
    return new URL(url).origin
  } catch {
    return undefined
  }
}

function parseTarget(url: string): URL {
  let target: URL
  try {
    target = new URL(url)
  } catch {
    throw new SafeFetchError('bad_url', 'Not a valid URL')
  }
  if (target.protocol !== 'http:' && target.protocol !== 'https:') {
    throw new SafeFetchError('bad_url', `Only http and https URLs can be fetched, not ${target.protocol}`)
  }
  if (target.username || target.password) throw new SafeFetchError('bad_url', 'URLs with credentials are not fetched')
  if (!target.hostname) throw new SafeFetchError('bad_url', 'URL without a host')
  return target
}

function resolveLocation(location: string, base: URL): string {
  try {
    return new URL(location, base).href
  } catch {
    throw new SafeFetchError('bad_url', 'Redirect to an invalid URL')
  }
}

/** URL keeps IPv6 literals in brackets; sockets and ipaddr.js want them bare. */
function bareHost(hostname: string): string {
  return hostname.startsWith('[') && hostname.endsWith(']') ? hostname.slice(1, -1) : hostname
}

/** The addresses this hop may connect to: all of them checked, unless the origin is explicitly allowed. */
async function checkedAddresses(target: URL, allowed: Set<string>, signal: AbortSignal): Promise<LookupAddress[]> {
  const host = bareHost(target.hostname)
  const isExempt = allowed.has(target.origin)
  const family = isIP(host)
  const addresses = family ? [{ address: host, family }] : await resolve(host, signal)
  if (!isExempt) {
    // One private answer is enough to refuse: which of several addresses a connection would use is not ours to pick.
    const blocked = addresses.find(({ address }) => !isPublicAddress(address))
    if (blocked) {
      throw new SafeFetchError('blocked_address', `Refused to fetch from ${target.origin}: ${blocked.address} is not a public address`)
    }
  }
  return addresses
}

async function resolve(host: string, signal: AbortSignal): Promise<LookupAddress[]> {
  let addresses: LookupAddress[]
  try {
    addresses = await untilAborted(resolveHost(host, { all: true, verbatim: true }), signal)
  } catch (error) {
    if (signal.aborted) throw error
    throw new SafeFetchError('unreachable', `Could not resolve ${host}`)
  }
  if (addresses.length === 0) throw new SafeFetchError('unreachable', `Could not resolve ${host}`)
  return addresses
}

/** dns.lookup cannot be cancelled; stop waiting for it when the deadline passes. */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise((resolvePromise, reject) => {
    const onAbort = () => reject(signal.reason)
    if (signal.aborted) return onAbort()
    signal.addEventListener('abort', onAbort, { once: true })
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort)
        resolvePromise(value)
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort)
        reject(error)
      },
    )
  })
}

/** Hands the socket the addresses already checked instead of asking DNS again. */
function pinnedLookup(addresses: LookupAddress[]): LookupFunction {
  return (_hostname, options, callback) => {
    const usable = options.family ? addresses.filter((entry) => entry.family === options.family) : addresses
    const first = usable[0]
    if (!first) {
      callback(Object.assign(new Error('No checked address of the requested family'), { code: 'ENOTFOUND' }), '', 0)
      return
    }
    if (options.all) callback(null, usable)
    else callback(null, first.address, first.family)
  }
}

function send(target: URL, addresses: LookupAddress[], headers: Record<string, string>, signal: AbortSignal): Promise<IncomingMessage> {
  const client = target.protocol === 'https:' ? https : http
  return new Promise((resolvePromise, reject) => {
    const request = client.request({
      protocol: target.protocol,
      hostname: bareHost(target.hostname),
      port: target.port || undefined,
      path: `${target.pathname}${target.search}`,
      method: 'GET',
      headers,
      lookup: pinnedLookup(addresses),
      // A pooled socket could have been opened by other code without these checks.
      agent: false,
      signal,
    })
    request.on('response', resolvePromise)
    request.on('error', reject)
    request.end()
  })
}

function withoutCredentials(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).filter(([name]) => !credentialHeaders.has(name.toLowerCase())))
}

function tooLarge(maxBytes: number): SafeFetchError {
  return new SafeFetchError('too_large', `The body is larger than ${maxBytes} bytes`)
}

/** Counts bytes as they arrive: Content-Length can only make us give up sooner, never accept more. */
function readBody(response: IncomingMessage, maxBytes: number, signal: AbortSignal): Promise<Buffer> {
  const declared = Number(response.headers['content-length'])
  if (Number.isFinite(declared) && declared > maxBytes) {
    response.destroy()
    return Promise.reject(tooLarge(maxBytes))
  }
  return new Promise((resolvePromise, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    const fail = (error: Error) => {
      signal.removeEventListener('abort', onAbort)
      response.destroy()
      reject(error)
    }
    const onAbort = () => fail(signal.reason as Error)
    signal.addEventListener('abort', onAbort, { once: true })
    response.on('data', (chunk: Buffer) => {
      size += chunk.length
      if (size > maxBytes) return fail(tooLarge(maxBytes))
      chunks.push(chunk)
    })
    response.on('end', () => {
      signal.removeEventListener('abort', onAbort)
      resolvePromise(Buffer.concat(chunks, size))
    })
    response.on('error', fail)
    response.on('close', () => {
      if (!response.complete) fail(new Error('The connection closed before the body was complete'))
    })
  })
}
