/**
 * Why a platform could not call a webhook URL, or null when nothing tells: an address of this machine or of a
 * private network, or plain http (Meta and Telegram call HTTPS only). The URL comes from CAREBOX_PUBLIC_URL, or
 * http://localhost:<port> when it is unset.
 */
export function webhookUrlProblem(url: string): string | null {
  if (!URL.canParse(url)) return null
  const parsed = new URL(url)
  const host = parsed.hostname.replace(/^\[|\]$/g, '').toLowerCase()
  const fix = 'Set CAREBOX_PUBLIC_URL to the public HTTPS address of this Carebox and restart it.'
  if (host === 'localhost' || host.endsWith('.localhost') || /^127\./.test(host) || host === '::1' || host === '0.0.0.0') {
    return `Platforms cannot reach this address: ${parsed.host} is this machine itself (only the platform simulator on it can). ${fix}`
  }
  if (/^10\./.test(host) || /^192\.168\./.test(host) || /^172\.(1[6-9]|2\d|3[01])\./.test(host) || /^f[cd][0-9a-f]{2}:/.test(host)) {
    return `Platforms cannot reach this address: ${parsed.host} is on a private network. ${fix}`
  }
  if (parsed.protocol === 'http:') return `Platforms send webhooks over HTTPS only, and this address is plain http. ${fix}`
  return null
}
