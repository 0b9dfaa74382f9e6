// Builds the console only when its sources changed since the last build, so a warm `pnpm start` is fast.
import { spawnSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const clientDir = path.dirname(fileURLToPath(import.meta.url))
const inputs = ['src', 'index.html', 'vite.config.ts', 'package.json', '../shared/src', '../shared/package.json', '../docs/metrics.md']
const stampFile = path.join(clientDir, 'dist', '.source-hash')

function* files(entry) {
  const full = path.join(clientDir, entry)
  if (!existsSync(full)) return
  if (statSync(full).isDirectory()) {
    for (const name of readdirSync(full).sort()) yield* files(path.join(entry, name))
  } else {
    yield entry
  }
}

const hash = createHash('sha256')
for (const input of inputs) {
  for (const file of files(input)) hash.update(file).update(readFileSync(path.join(clientDir, file)))
}
const digest = hash.digest('hex')

if (existsSync(stampFile) && readFileSync(stampFile, 'utf8') === digest) {
  process.stdout.write('Console build is up to date.\n')
} else {
  process.stdout.write('Building the console…\n')
  const result = spawnSync(process.execPath, [path.join(clientDir, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn'], {
    cwd: clientDir,
    stdio: 'inherit',
    // Always the production build: started from a test runner (NODE_ENV=test), Vite would bundle React's
    // development build, and the stamp would keep serving it to every later `pnpm start`.
    env: { ...process.env, NODE_ENV: 'production' },
  })
  if (result.status !== 0) {
    process.stderr.write('Carebox could not start: the console build failed (see above).\n')
    process.exit(result.status ?? 1)
  }
  writeFileSync(stampFile, digest)
}
