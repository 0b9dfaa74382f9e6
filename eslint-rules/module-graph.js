import fs from 'node:fs'
import path from 'node:path'

/**
 * carebox/no-module-cycle: server modules (the folders of server/src) must not import each other in a circle.
 * import-x/no-cycle checks files; this checks the folders, where a knot such as routing → sla → rules → routing
 * hides between files that do not cycle themselves. The composition roots wire everything together and are left
 * out: the server's main.ts, server.ts, app.ts, the task list (queue/handlers.ts) and the CLI commands. Files
 * directly in server/src (config, context, errors, logger) form the module "core". Type-only imports are left out:
 * they vanish at compile time.
 */

const importPattern = /^\s*(?:import|export)\s+(type\s+)?([^'";]*?)\s*from\s+'(\.[^']+)'/gm

function isCompositionRoot(relative) {
  return ['main.ts', 'server.ts', 'app.ts', 'queue/handlers.ts'].includes(relative) || relative.startsWith('cli/')
}

function moduleOf(relative) {
  const parts = relative.split('/')
  return parts.length === 1 ? 'core' : parts[0]
}

/** Whether an import's named specifiers are all `type` ones (`import { type A, type B } from`). */
function isTypeOnly(typeKeyword, clause) {
  if (typeKeyword) return true
  const braces = clause.match(/^\{([^}]*)\}$/)
  if (!braces) return false
  const names = braces[1]
    .split(',')
    .map((n) => n.trim())
    .filter(Boolean)
  return names.length > 0 && names.every((n) => n.startsWith('type '))
}

function listFiles(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name)
    if (entry.isDirectory()) return listFiles(full)
    return entry.name.endsWith('.ts') ? [full] : []
  })
}

/** module → module → the files that make the edge. */
export function moduleGraph(root) {
  const graph = new Map()
  for (const file of listFiles(root)) {
    const relative = path.relative(root, file).split(path.sep).join('/')
    if (isCompositionRoot(relative)) continue
    const from = moduleOf(relative)
    const text = fs.readFileSync(file, 'utf8')
    for (const match of text.matchAll(importPattern)) {
      if (isTypeOnly(match[1], match[2].trim())) continue
      const target = path
        .relative(root, path.resolve(path.dirname(file), match[3]))
        .split(path.sep)
        .join('/')
      if (target.startsWith('..')) continue
      const to = moduleOf(target)
      if (to === from) continue
      if (!graph.has(from)) graph.set(from, new Map())
      const edges = graph.get(from)
      if (!edges.has(to)) edges.set(to, new Set())
      edges.get(to).add(relative)
    }
  }
  return graph
}

/** A path of modules from `start` to `goal`, if there is one. */
export function findPath(graph, start, goal) {
  const previous = new Map([[start, null]])
  const queue = [start]
  while (queue.length > 0) {
    const current = queue.shift()
    if (current === goal) {
      const route = []
      for (let at = goal; at !== null; at = previous.get(at)) route.unshift(at)
      return route
    }
    for (const next of graph.get(current)?.keys() ?? []) {
      if (!previous.has(next)) {
        previous.set(next, current)
        queue.push(next)
      }
    }
  }
  return null
}

const graphs = new Map()

export const noModuleCycle = {
  meta: {
    type: 'problem',
    docs: { description: 'Server modules (folders of server/src) must not import each other in a circle' },
    schema: [{ type: 'object', properties: { root: { type: 'string' } }, additionalProperties: false }],
    messages: { cycle: 'Module "{{from}}" imports "{{to}}", which leads back to it: {{route}}. Move the shared piece down a layer.' },
  },
  create(context) {
    const root = path.resolve(context.options[0]?.root ?? 'server/src')
    const file = path.resolve(context.filename)
    const relative = path.relative(root, file).split(path.sep).join('/')
    if (relative.startsWith('..') || isCompositionRoot(relative)) return {}
    // Built once per root while its files stay as they are (a lint run reads the same tree for every file).
    const files = listFiles(root)
    const signature = `${files.length}:${files.reduce((latest, f) => Math.max(latest, fs.statSync(f).mtimeMs), 0)}`
    if (graphs.get(root)?.signature !== signature) graphs.set(root, { signature, graph: moduleGraph(root) })
    const graph = graphs.get(root).graph
    const from = moduleOf(relative)
    return {
      ImportDeclaration(node) {
        if (node.importKind === 'type' || typeof node.source.value !== 'string' || !node.source.value.startsWith('.')) return
        if (node.specifiers.length > 0 && node.specifiers.every((s) => s.importKind === 'type')) return
        const target = path
          .relative(root, path.resolve(path.dirname(file), node.source.value))
          .split(path.sep)
          .join('/')
        const to = moduleOf(target)
        if (to === from || target.startsWith('..')) return
        const back = findPath(graph, to, from)
        if (back) context.report({ node, messageId: 'cycle', data: { from, to, route: [from, ...back].join(' → ') } })
      },
    }
  },
}

export default { rules: { 'no-module-cycle': noModuleCycle } }
