/** A lifetime value as money in the viewer's locale (€1,234.50), or as a plain number when no currency was given. */
export function formatLifetimeValue(value: number, currency: string | null): string {
  if (currency) {
    try {
      return new Intl.NumberFormat(undefined, { style: 'currency', currency }).format(value)
    } catch {
      // A code Intl does not know: the number and the code as the CRM sent them.
      return `${new Intl.NumberFormat(undefined, { maximumFractionDigits: 2 }).format(value)} ${currency}`
    }
  }
  return new Intl.NumberFormat(undefined, { maximumFractionDigits: 2 }).format(value)
}

/**
 * A CRM record's link, only when it is http or https: the server checks this too, but a link the console renders
 * must never run script (javascript:) whatever was stored.
 */
export function safeRecordUrl(url: string | null): string | null {
  if (!url) return null
  try {
    const parsed = new URL(url)
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed.href : null
  } catch {
    return null
  }
}
