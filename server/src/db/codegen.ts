import path from 'node:path'
import { repoRoot } from '../config.js'

export const generatedTypesFile = path.join(repoRoot, 'server', 'src', 'db', 'database.gen.ts')

/** kysely-codegen's arguments, shared by `pnpm db:codegen` and the test that fails on drift. */
export function codegenArgs(url: string): string[] {
  return [
    '--dialect',
    'postgres',
    '--url',
    url,
    '--camel-case',
    '--default-schema',
    'public',
    // The migrator's, graphile-worker's and the socket.io adapter's own tables are not ours to query.
    '--exclude-pattern',
    '{*.kysely_migration,*.kysely_migration_lock,*.socket_io_attachments,graphile_worker.*}',
    '--type-mapping',
    JSON.stringify({ int8: 'number' }),
    '--out-file',
    generatedTypesFile,
  ]
}
