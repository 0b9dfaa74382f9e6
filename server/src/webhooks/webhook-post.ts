/**
 * POST for webhook deliveries, with the same address guard as media fetches (safe-fetch.ts): the destination is
 * resolved and checked before connecting and the socket goes to the very address checked, so an endpoint URL can
 * never make Carebox reach its own network. Unlike safeFetch, any answer is returned (its status and the first
 * bytes of its body are the delivery log), and redirects are never followed: a 3xx is a failed attempt.
 */
import { lookup as systemLookup } from 'node:dns/promises'
import type { LookupAddress } from 'node:dns'
import http, { type IncomingHttpHeaders } from 'node:http'
import https from 'node:https'
import { isIP, type LookupFunction } from 'node:net'
import ipaddr from 'ipaddr.js'
import { isPublicAddress, SafeFetchError } from '../media/safe-fetch.js'

export type ResolveHost = (host: string) => Promise<LookupAddress[]>

export interface WebhookPostOptions {
  /**
   * The admin's exception for an on-premise receiver: loopback and private addresses are allowed. Link-local
   * (where cloud metadata services live), multicast and unspecified addresses never are.
   */
  allowPrivateNetwork: boolean
  timeoutMs: number
  /** How much of the answer's body to keep. */
  excerptBytes: number
  headers: Record<string, string>
}

export interface WebhookPostResponse {
  status: number
  headers: IncomingHttpHeaders
  excerpt: string
}

const privateRanges = new Set(['loopback', 'private', 'uniqueLocal', 'carrierGradeNat'])

/** Whether a delivery may connect to this address. */
export function isDeliverableAddress(address: string, allowPrivateNetwork: boolean): boolean {
  if (isPublicAddress(address)) return true
  if (!allowPrivateNetwork || !ipaddr.isValid(address)) return false
  return privateRanges.has(ipaddr.process(address).range())
}

const systemResolve: ResolveHost = (host) => systemLookup(host, { all: true, verbatim: true })

/** DNS for endpoint URLs. Tests replace it to show that a refusal comes before any connection is opened. */
export const webhookDns: { resolveHost: ResolveHost } = { resolveHost: systemResolve }

/** Checks an endpoint URL's form: http(s), a host, no credentials. */
export function parseEndpointUrl(url: string): URL {
  let target: URL
  try {
    target = new URL(url)
  } catch {
    throw new SafeFetchError('bad_url', 'Not a valid URL')
  }
  if (target.protocol !== 'http:' && target.protocol !== 'https:') throw new SafeFetchError('bad_url', 'Only http and https URLs can receive webhooks')
  if (target.username || target.password) throw new SafeFetchError('bad_url', 'URLs with credentials are not allowed')
  if (!target.hostname) throw new SafeFetchError('bad_url', 'URL without a host')
  return target
}

/** URL keeps IPv6 literals in brackets; sockets and ipaddr.js want them bare. */
function bareHost(hostname: string): string {
  return hostname.startsWith('[') && hostname.endsWith(']') ? hostname.slice(1, -1) : hostname
}

/** The addresses a delivery to `url` may connect to, all checked; throws SafeFetchError('blocked_address') otherwise. */
export async function checkedEndpointAddresses(url: string, allowPrivateNetwork: boolean): Promise<LookupAddress[]> {
  const target = parseEndpointUrl(url)
  const host = bareHost(target.hostname)
  const family = isIP(host)
  let addresses: LookupAddress[]
  if (family) addresses = [{ address: host, family }]
  else {
    try {
      addresses = await webhookDns.resolveHost(host)
    } catch {
      throw new SafeFetchError('unreachable', `Could not resolve ${host}`)
    }
  }
  if (addresses.length === 0) throw new SafeFetchError('unreachable', `Could not resolve ${host}`)
  // One refused answer is enough: which of several addresses a connection would use is not ours to pick.
  const blocked = addresses.find(({ address }) => !isDeliverableAddress(address, allowPrivateNetwork))
  if (blocked) throw new SafeFetchError('blocked_address', `${target.host} resolves to ${blocked.address}, which is not a public address`)
  return addresses
}

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

/**
 * Kept-alive connections per receiver (origin and address rule): an endpoint taking hundreds of deliveries a
 * second would otherwise open and close a connection for each. A reused connection goes to an address that was
 * checked when it was opened. Idle ones close after 4 s, before a typical server's 5 s keep-alive ends them under a
 * request.
 */
const agents = new Map<string, http.Agent>()

function agentFor(target: URL, allowPrivateNetwork: boolean): http.Agent {
  const key = `${target.origin}|${allowPrivateNetwork}`
  let agent = agents.get(key)
  if (!agent) {
    const options = { keepAlive: true, maxSockets: 16, maxFreeSockets: 16, timeout: 4_000, scheduling: 'lifo' as const }
    agent = target.protocol === 'https:' ? new https.Agent(options) : new http.Agent(options)
    agents.set(key, agent)
  }
  return agent
}

/** Sends `body` to `url`; resolves with any answer, throws SafeFetchError when none came or the address is refused. */
export async function postWebhook(url: string, body: string, options: WebhookPostOptions): Promise<WebhookPostResponse> {
  const controller = new AbortController()
  const timer = setTimeout(() => controller.abort(), options.timeoutMs)
  try {
    const addresses = await checkedEndpointAddresses(url, options.allowPrivateNetwork)
    const target = new URL(url)
    const client = target.protocol === 'https:' ? https : http
    return await new Promise<WebhookPostResponse>((resolve, reject) => {
      const request = client.request({
        protocol: target.protocol,
        hostname: bareHost(target.hostname),
        port: target.port || undefined,
        path: `${target.pathname}${target.search}`,
        method: 'POST',
        headers: { 'user-agent': 'Carebox-Webhooks', ...options.headers, 'content-length': String(Buffer.byteLength(body)) },
        lookup: pinnedLookup(addresses),
        agent: agentFor(target, options.allowPrivateNetwork),
        signal: controller.signal,
      })
      request.on('error', reject)
      request.on('response', (response) => {
        const chunks: Buffer[] = []
        let size = 0
        const finish = () => {
          response.destroy()
          resolve({
            status: response.statusCode ?? 0,
            headers: response.headers,
            excerpt: Buffer.concat(chunks).subarray(0, options.excerptBytes).toString('utf8'),
          })
        }
        response.on('data', (chunk: Buffer) => {
          if (size < options.excerptBytes) chunks.push(chunk)
          size += chunk.length
          // Enough for the log: the rest of a large answer is not read.
          if (size >= options.excerptBytes) finish()
        })
        response.on('end', finish)
        response.on('error', finish)
      })
      request.end(body)
    })
  } catch (error) {
    if (error instanceof SafeFetchError) throw error
    if (controller.signal.aborted) throw new SafeFetchError('timeout', `No answer within ${options.timeoutMs / 1000} s`)
    throw new SafeFetchError('unreachable', `Could not connect: ${(error as Error).message}`)
  } finally {
    clearTimeout(timer)
  }
}
