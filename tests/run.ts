// `pnpm test`: everything CI runs. Typecheck, lint and the formatting check (each counted as one check), then every vitest project
// (shared, server, client, e2e). Ends with the plain line `N passed, N failed` and exits non-zero on any failure.
import { spawn } from 'node:child_process'
import { mkdir, readFile, rm } from 'node:fs/promises'
import path from 'node:path'
import { repoRoot } from '../server/src/config.js'

interface Step {
  name: string
  passed: number
  failed: number
  seconds: number
}

const resultsDir = path.join(repoRoot, '.test-results')
const vitestJson = path.join(resultsDir, 'vitest.json')
const bin = (name: string) => path.join(repoRoot, 'node_modules', '.bin', name)

function run(command: string, args: string[]): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] })
    let output = ''
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()))
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()))
    child.on('close', (code) => resolve({ code: code ?? 1, output }))
  })
}

async function check(name: string, command: string, args: string[]): Promise<Step> {
  const started = performance.now()
  const { code, output } = await run(command, args)
  const seconds = (performance.now() - started) / 1000
  process.stdout.write(`${code === 0 ? '✓' : '✗'} ${name} (${seconds.toFixed(1)} s)\n`)
  if (code !== 0) process.stdout.write(output)
  return { name, passed: code === 0 ? 1 : 0, failed: code === 0 ? 0 : 1, seconds }
}

async function typecheck(): Promise<Step> {
  const started = performance.now()
  const results = await Promise.all(['shared', 'server', 'client', 'tests'].map((p) => run(bin('tsc'), ['-p', p])))
  const failedOutput = results.filter((r) => r.code !== 0).map((r) => r.output)
  const seconds = (performance.now() - started) / 1000
  process.stdout.write(`${failedOutput.length === 0 ? '✓' : '✗'} typecheck (${seconds.toFixed(1)} s)\n`)
  failedOutput.forEach((o) => process.stdout.write(o))
  return { name: 'typecheck', passed: failedOutput.length === 0 ? 1 : 0, failed: failedOutput.length === 0 ? 0 : 1, seconds }
}

interface VitestReport {
  numPassedTests: number
  numFailedTests: number
  numFailedTestSuites: number
  testResults: { status: string; assertionResults: unknown[] }[]
}

async function vitest(name: string, projects: string[], outputFile: string): Promise<Step> {
  const started = performance.now()
  await rm(outputFile, { force: true })
  const code = await new Promise<number>((resolve) => {
    const args = ['run', ...projects.flatMap((p) => ['--project', p]), '--reporter=default', '--reporter=json', `--outputFile.json=${outputFile}`]
    const child = spawn(bin('vitest'), args, { cwd: repoRoot, stdio: 'inherit' })
    child.on('close', (c) => resolve(c ?? 1))
  })
  const seconds = (performance.now() - started) / 1000
  const report = await readFile(outputFile, 'utf8').then(
    (t) => JSON.parse(t) as VitestReport,
    () => undefined,
  )
  if (!report) return { name, passed: 0, failed: 1, seconds }
  // A file that failed outside any test (a crashing hook, an import error) counts as a failure too.
  const brokenFiles = report.testResults.filter((f) => f.status === 'failed' && f.assertionResults.length === 0).length
  const failed = report.numFailedTests + brokenFiles + (code !== 0 && report.numFailedTests + brokenFiles === 0 ? 1 : 0)
  return { name, passed: report.numPassedTests, failed, seconds }
}

await mkdir(resultsDir, { recursive: true })
const started = performance.now()
const steps = [
  ...(await Promise.all([typecheck(), check('lint', bin('eslint'), ['.']), check('format', bin('prettier'), ['--check', '.'])])),
  await vitest('vitest', ['shared', 'server', 'client', 'e2e'], vitestJson),
  // The fault scenarios start and crash processes: alone, after the rest.
  await vitest('faults', ['faults'], path.join(resultsDir, 'vitest-faults.json')),
]
const passed = steps.reduce((n, s) => n + s.passed, 0)
const failed = steps.reduce((n, s) => n + s.failed, 0)
process.stdout.write(
  `\nWall time ${((performance.now() - started) / 1000).toFixed(1)} s: ${steps.map((s) => `${s.name} ${s.seconds.toFixed(1)} s`).join(', ')}\n`,
)
process.stdout.write(`${passed} passed, ${failed} failed\n`)
process.exit(failed === 0 ? 0 : 1)
