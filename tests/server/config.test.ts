import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { ConfigError, loadConfig, repoRoot } from '../../server/src/config.js'

describe('loadConfig', () => {
  it('applies every default when the environment is empty', () => {
    const config = loadConfig({})

    expect(config).toMatchObject({
      port: 3000,
      host: 'localhost',
      databaseUrl: undefined,
      dataDir: path.join(repoRoot, '.data'),
      logLevel: 'info',
      workerInProcess: true,
      workerConcurrency: 4,
      shutdownTimeoutMs: 10_000,
    })
    expect(Object.isFrozen(config)).toBe(true)
  })

  it('converts and keeps valid values', () => {
    const config = loadConfig({ PORT: '8080', DATABASE_URL: 'postgres://u:p@db:5432/care', CAREBOX_WORKER: 'off' })

    expect(config.port).toBe(8080)
    expect(config.databaseUrl).toBe('postgres://u:p@db:5432/care')
    expect(config.workerInProcess).toBe(false)
  })

  it('treats an empty value as unset', () => {
    expect(loadConfig({ PORT: '', DATABASE_URL: '' })).toMatchObject({ port: 3000, databaseUrl: undefined })
  })

  it.each([
    ['PORT', 'abc'],
    ['PORT', '70000'],
    ['DATABASE_URL', 'mysql://localhost/db'],
    ['LOG_LEVEL', 'loud'],
    ['CAREBOX_WORKER', 'maybe'],
    ['CAREBOX_WORKER_CONCURRENCY', '0'],
  ])('names %s when its value %s is invalid', (name, value) => {
    const load = () => loadConfig({ [name]: value })

    expect(load).toThrow(ConfigError)
    expect(load).toThrow(new RegExp(`^Environment variable ${name}=`))
  })
})
