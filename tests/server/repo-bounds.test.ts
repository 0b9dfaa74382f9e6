import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import ts from 'typescript'
import { describe, expect, it } from 'vitest'
import { repoRoot } from '../../server/src/config.js'

// Carebox stands alone: a fresh clone runs `pnpm test`, `pnpm start` and `pnpm bench` with nothing beside it.
// Every path written in the sources must land inside the repository.

/** The folders whose code is run by `pnpm test`, `pnpm start` and `pnpm bench`. */
const scanned = ['tests', 'server/src', 'client/src', 'shared/src']

/**
 * The folders whose scripts and configuration those commands run too (the console's build before `pnpm start`,
 * vitest's and eslint's configuration), their top level only. They hold no test data, so there every string that
 * starts with `./` or `../` counts as a path from the file's folder: lists of inputs, as the console build's, too.
 */
const scriptFolders = ['.', 'client', 'eslint-rules']

/** System files, not project files: reading them is fine anywhere. */
const systemPaths = /^\/(proc|sys|dev)(\/|$)/

/** Calls that build a file path from their arguments. */
const joinCalls = new Set(['join', 'resolve', 'URL'])

/** Calls that read a file or folder. */
const readCalls = new Set(['readFileSync', 'readFile', 'createReadStream', 'readdir', 'readdirSync', 'existsSync'])

/** Calls that take a module specifier, relative to the calling file, as vitest's `vi.mock`. */
const moduleCalls = new Set(['mock', 'doMock', 'importActual', 'importMock'])

export interface Escape {
  line: number
  text: string
  resolved: string
}

/**
 * The paths in one source file that resolve outside `root`:
 * - module specifiers (imports, `?raw` ones included, `vi.mock`), taken from the file's folder, and in a script
 *   (`isScript`) every other string that starts with `./` or `../` too;
 * - the string arguments of path.join, path.resolve and `new URL` that climb with `..`, together, taken from the
 *   file's folder when the call uses import.meta, else from the repository root (the working directory of every
 *   pnpm script and of vitest);
 * - absolute paths read with fs, except system files (/proc, /sys, /dev).
 * Other strings are data, however much they look like paths.
 */
export function findEscapes(file: string, text: string, { root = repoRoot, isScript = false } = {}): Escape[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, scriptKindOf(file))
  const escapes: Escape[] = []
  const check = (node: ts.Node, resolved: string | undefined) => {
    if (resolved === undefined || isInside(resolved, root)) return
    escapes.push({ line: source.getLineAndCharacterOfPosition(node.getStart()).line + 1, text: node.getText(), resolved })
  }
  const visit = (node: ts.Node) => {
    if (isModuleSpecifier(node)) {
      const specifier = (literalText(node) ?? '').replace(/[?#].*$/, '')
      if (specifier.startsWith('.')) check(node, path.resolve(path.dirname(file), specifier))
    } else if (isScript && /^\.\.?\//.test(literalText(node) ?? '')) {
      check(node, path.resolve(path.dirname(file), literalText(node) as string))
    } else if (ts.isCallExpression(node) || ts.isNewExpression(node)) {
      check(node, resolveCall(node, path.dirname(file), root))
    }
    ts.forEachChild(node, visit)
  }
  visit(source)
  return escapes
}

function resolveCall(call: ts.CallExpression | ts.NewExpression, dir: string, root: string): string | undefined {
  const name = calleeName(call) ?? ''
  const strings = (call.arguments ?? []).map(literalText).filter((text) => text !== undefined)
  const isFromFile = /import\.meta|__dirname/.test(call.getText())
  if (readCalls.has(name)) {
    const absolute = strings.find((text) => path.isAbsolute(text))
    return absolute !== undefined && !systemPaths.test(absolute) ? absolute : undefined
  }
  // A URL without import.meta is a web address, not a file.
  if (!joinCalls.has(name) || (name === 'URL' && !isFromFile)) return undefined
  if (!strings.some((text) => /(^|\/)\.\.(\/|$)/.test(text))) return undefined
  return path.resolve(isFromFile ? dir : root, ...strings.filter((text) => !path.isAbsolute(text)))
}

/** A string or template literal's text, with each `${…}` as one path segment. */
function literalText(node: ts.Node): string | undefined {
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return node.text
  if (ts.isTemplateExpression(node)) return node.head.text + node.templateSpans.map((span) => `x${span.literal.text}`).join('')
  return undefined
}

function scriptKindOf(file: string): ts.ScriptKind {
  if (file.endsWith('.tsx')) return ts.ScriptKind.TSX
  return /\.[cm]?js$/.test(file) ? ts.ScriptKind.JS : ts.ScriptKind.TS
}

function isModuleSpecifier(node: ts.Node): boolean {
  const parent = node.parent
  if (!parent || literalText(node) === undefined) return false
  if ((ts.isImportDeclaration(parent) || ts.isExportDeclaration(parent)) && parent.moduleSpecifier === node) return true
  if (!ts.isCallExpression(parent) || parent.arguments[0] !== node) return false
  return parent.expression.kind === ts.SyntaxKind.ImportKeyword || moduleCalls.has(calleeName(parent) ?? '')
}

function calleeName(call: ts.CallExpression | ts.NewExpression): string | undefined {
  const callee = call.expression
  if (ts.isIdentifier(callee)) return callee.text
  return ts.isPropertyAccessExpression(callee) ? callee.name.text : undefined
}

function isInside(target: string, root: string): boolean {
  const relative = path.relative(root, target)
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative))
}

const isCode = (name: string) => /\.(ts|tsx|mts|js|mjs|cjs)$/.test(name)

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name)
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : sourceFiles(full)
    return isCode(entry.name) ? [full] : []
  })
}

function scriptFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isFile() && isCode(entry.name))
    .map((entry) => path.join(dir, entry.name))
}

describe('paths in the sources', () => {
  it('all resolve inside the repository', () => {
    const files = scanned.flatMap((dir) => sourceFiles(path.join(repoRoot, dir)))
    const scripts = scriptFolders.flatMap((dir) => scriptFiles(path.join(repoRoot, dir)))
    const where = (file: string) => (e: Escape) => `${path.relative(repoRoot, file)}:${e.line} ${e.text} → ${e.resolved}`

    const escapes = [
      ...files.flatMap((file) => findEscapes(file, readFileSync(file, 'utf8')).map(where(file))),
      ...scripts.flatMap((file) => findEscapes(file, readFileSync(file, 'utf8'), { isScript: true }).map(where(file))),
    ]

    expect(files.length).toBeGreaterThan(100)
    expect(scripts.map((file) => path.relative(repoRoot, file))).toContain(path.join('client', 'build-if-stale.mjs'))
    expect(escapes).toEqual([])
  })

  it('finds a spec read from the folder beside the repository', () => {
    const file = path.join(repoRoot, 'tests', 'client', 'Example.test.tsx')
    const text = "const spec = readFileSync(resolve(process.cwd(), '../shared/specs/metrics.md'), 'utf8')\n"

    expect(findEscapes(file, text)).toEqual([
      { line: 1, text: "resolve(process.cwd(), '../shared/specs/metrics.md')", resolved: path.join(path.dirname(repoRoot), 'shared', 'specs', 'metrics.md') },
    ])
  })

  it('finds imports, raw files included, and absolute reads that leave the repository', () => {
    const file = path.join(repoRoot, 'tests', 'client', 'Example.test.tsx')
    const text = [
      "import spec from '../../../shared/specs/metrics.md?raw'",
      "import { fakeApi } from './fake-api'",
      'const fixture = new URL(`../../fixtures/${name}`, import.meta.url)',
      "const outside = readFileSync('/work/elsewhere/notes.md', 'utf8')",
      "const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')",
      "const up = path.join(import.meta.dirname, '..', '..', '..', 'x')",
      "vi.mock('../../../server/src/auth/passwords.js')",
      "const isUp = name === '..' || name.startsWith('../')",
    ].join('\n')

    expect(findEscapes(file, text).map((e) => e.line)).toEqual([1, 4, 6, 7])
  })

  it('finds a path beside the repository in a list of inputs of a script', () => {
    const file = path.join(repoRoot, 'client', 'build-if-stale.mjs')
    const text = "const inputs = ['src', '../shared/src', '../docs/metrics.md', '../../shared/specs/metrics.md']\n"

    expect(findEscapes(file, text, { isScript: true })).toEqual([
      { line: 1, text: "'../../shared/specs/metrics.md'", resolved: path.join(path.dirname(repoRoot), 'shared', 'specs', 'metrics.md') },
    ])
    expect(findEscapes(file, text)).toEqual([])
  })
})
