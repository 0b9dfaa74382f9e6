import http from 'node:http'

/** Keep-alive HTTP load from this process; the figures include the generator's own share of the 2 cores. */
export const agent = new http.Agent({ keepAlive: true, maxSockets: 256 })

export function post(url: string, body: Buffer, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = http.request(url, { method: 'POST', agent, headers: { ...headers, 'content-length': String(body.length) } }, (response) => {
      response.resume()
      response.on('end', () => resolve(response.statusCode ?? 0))
    })
    request.on('error', reject)
    request.end(body)
  })
}

export function get(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { agent }, (response) => {
        response.resume()
        response.on('end', () => resolve(response.statusCode ?? 0))
      })
      .on('error', reject)
  })
}

/** Runs `total` calls with at most `concurrency` in flight; resolves with the elapsed milliseconds. */
export async function closedLoop(total: number, concurrency: number, call: (i: number) => Promise<unknown>): Promise<number> {
  let next = 0
  const started = performance.now()
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) await call(next++)
    }),
  )
  return performance.now() - started
}

/** Starts calls at a fixed rate (an open loop: a slow server does not slow the arrivals). */
export async function openLoop(ratePerSecond: number, durationMs: number, call: (i: number) => Promise<unknown>): Promise<void> {
  const total = Math.round((ratePerSecond * durationMs) / 1000)
  const started = performance.now()
  const pending: Promise<unknown>[] = []
  for (let i = 0; i < total; i++) {
    const due = started + (i * 1000) / ratePerSecond
    const wait = due - performance.now()
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait))
    pending.push(call(i))
  }
  await Promise.all(pending)
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number
}

export function describeLatencies(values: number[]): string {
  const sorted = [...values].sort((a, b) => a - b)
  return `p50 ${percentile(sorted, 50).toFixed(1)} ms, p99 ${percentile(sorted, 99).toFixed(1)} ms, max ${(sorted.at(-1) ?? Number.NaN).toFixed(1)} ms (n=${sorted.length})`
}
