import { lookup } from 'node:dns/promises'
import { isIP } from 'node:net'
import ipaddr from 'ipaddr.js'

/** Ranges no platform API lives in: link-local (where cloud metadata services answer), multicast and the like. */
const neverPlatformRanges = new Set(['linkLocal', 'multicast', 'unspecified', 'broadcast', 'reserved'])
/** Cloud metadata services outside link-local: AWS's IPv6 one and Alibaba Cloud's. */
const metadataAddresses = new Set(['fd00:ec2::254', '100.100.100.200'])

function neverPlatform(address: string): boolean {
  if (!ipaddr.isValid(address)) return false
  const parsed = ipaddr.process(address)
  // toString() is the compact form, whatever way the address was written.
  return neverPlatformRanges.has(parsed.range()) || metadataAddresses.has(parsed.toString())
}

/**
 * Why an API base URL cannot be a platform's, or null when it may be asked. Loopback and private addresses are
 * allowed: the platform simulator, or a proxy an admin runs. Names are resolved and every address is checked.
 */
export async function refusedApiAddress(apiBaseUrl: string): Promise<string | null> {
  let host: string
  try {
    host = new URL(apiBaseUrl).hostname.replace(/^\[|\]$/g, '')
  } catch {
    return 'it is not a valid URL'
  }
  let addresses: string[]
  try {
    addresses = isIP(host) ? [host] : (await lookup(host, { all: true, verbatim: true })).map((entry) => entry.address)
  } catch {
    return null // Unresolvable: the check itself says the address could not be reached.
  }
  const refused = addresses.find(neverPlatform)
  return refused ? `${host} is ${refused}, an address no platform API uses` : null
}
