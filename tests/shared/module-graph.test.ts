import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { ESLint } from 'eslint'
import tseslint from 'typescript-eslint'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import moduleGraph from '../../eslint-rules/module-graph.js'

// The lint rule that keeps server modules from importing each other in a circle, on a small tree of its own.
let root: string

beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'carebox-modules-'))
  const files: Record<string, string> = {
    'sla/timer.ts': "import { run } from '../rules/run.js'\nexport const timer = run\n",
    'rules/run.ts': "import { recompute } from '../routing/follow.js'\nexport const run = recompute\n",
    'routing/follow.ts': "import { deadline } from '../sla/deadline.js'\nexport const recompute = deadline\n",
    'sla/deadline.ts': 'export const deadline = 1\n',
    // Type-only imports and the composition roots do not count.
    'reports/plan.ts': "import type { timer } from '../sla/timer.js'\nexport type Plan = typeof timer\n",
    'sla/report-kind.ts': "import { type Plan } from '../reports/plan.js'\nexport type Kind = Plan\n",
    'app.ts': "import { timer } from './sla/timer.js'\nexport const app = timer\n",
    'config.ts': 'export const config = 1\n',
  }
  for (const [name, text] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(root, name)), { recursive: true })
    await writeFile(path.join(root, name), text)
  }
})
afterAll(async () => {
  await rm(root, { recursive: true, force: true })
})

async function lint(): Promise<Record<string, string[]>> {
  const eslint = new ESLint({
    cwd: root,
    overrideConfigFile: true,
    overrideConfig: [
      {
        files: ['**/*.ts'],
        languageOptions: { parser: tseslint.parser as never },
        plugins: { carebox: moduleGraph },
        rules: { 'carebox/no-module-cycle': ['error', { root }] },
      },
    ],
  })
  const results = await eslint.lintFiles(['**/*.ts'])
  return Object.fromEntries(results.filter((r) => r.messages.length > 0).map((r) => [path.relative(root, r.filePath), r.messages.map((m) => m.message)]))
}

describe('carebox/no-module-cycle', () => {
  it('reports each import that closes a circle between modules, with the way back', async () => {
    const reported = await lint()
    expect(reported).toEqual({
      'sla/timer.ts': [expect.stringContaining('sla → rules → routing → sla')],
      'rules/run.ts': [expect.stringContaining('rules → routing → sla → rules')],
      'routing/follow.ts': [expect.stringContaining('routing → sla → rules → routing')],
    })
  })

  it('passes once the shared piece moves down a layer', async () => {
    await writeFile(path.join(root, 'rules/run.ts'), 'export const run = 1\n')
    expect(await lint()).toEqual({})
  })
})
