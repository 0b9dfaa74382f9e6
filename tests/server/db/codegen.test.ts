import { execFile } from 'node:child_process'
import path from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { codegenArgs } from '../../../server/src/db/codegen.js'
import { repoRoot } from '../../../server/src/config.js'
import { createTestDatabase, type TestDatabase } from '../../support/database.js'

const run = promisify(execFile)
let database: TestDatabase

beforeAll(async () => {
  database = await createTestDatabase()
})
afterAll(async () => {
  await database.drop()
})

describe('database.gen.ts', () => {
  it('matches the schema the migrations produce (run pnpm db:codegen after changing a migration)', async () => {
    const bin = path.join(repoRoot, 'server', 'node_modules', '.bin', 'kysely-codegen')

    const result = await run(bin, [...codegenArgs(database.url), '--verify'], { cwd: repoRoot }).then(
      () => 'up to date',
      (error: { stdout?: string; stderr?: string }) => `${error.stdout ?? ''}${error.stderr ?? ''}`,
    )

    expect(result).toBe('up to date')
  })
})
