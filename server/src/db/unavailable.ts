/**
 * Whether an error means the database is away for now (restarting, crashed, unreachable), rather than a bug or a
 * bad query: such a failure is answered 503, and the platforms send their webhooks again later.
 */
const unavailableCodes = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  // PostgreSQL: admin_shutdown, crash_shutdown, cannot_connect_now (starting up or recovering).
  '57P01',
  '57P02',
  '57P03',
])

export function isDatabaseUnavailable(error: unknown): boolean {
  const { code, message } = (error ?? {}) as { code?: string; message?: string }
  if (code && unavailableCodes.has(code)) return true
  return (
    typeof message === 'string' &&
    /Connection terminated|Client has encountered a connection error|the database system is (starting up|in recovery mode|shutting down)/.test(message)
  )
}
