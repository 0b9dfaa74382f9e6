// The admin every benchmark's Carebox starts with, and how a benchmark signs in as them.

export const benchSecretKey = Buffer.alloc(32, 9).toString('base64')
export const benchAdmin = { email: 'bench-admin@example.test', password: 'bench-admin-password' }

/** Environment for a Carebox process under benchmark: external database, no demo, the bench admin. */
export function benchServerEnv(databaseUrl: string): Record<string, string> {
  return {
    PORT: '0',
    HOST: '127.0.0.1',
    DATABASE_URL: databaseUrl,
    CAREBOX_SECRET_KEY: benchSecretKey,
    CAREBOX_DEMO: 'off',
    LOG_LEVEL: 'warn',
    CAREBOX_ADMIN_EMAIL: benchAdmin.email,
    CAREBOX_ADMIN_PASSWORD: benchAdmin.password,
  }
}

/** Signs the benchmark's admin in: the session cookie and CSRF token the API and the socket need. */
export async function signInBenchAdmin(serverUrl: string): Promise<{ cookie: string; csrfToken: string }> {
  const response = await fetch(`${serverUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(benchAdmin),
  })
  if (!response.ok) throw new Error(`could not sign in: ${await response.text()}`)
  const cookie = (response.headers.get('set-cookie') ?? '').split(';')[0] ?? ''
  return { cookie, csrfToken: ((await response.json()) as { csrfToken: string }).csrfToken }
}
