import sjson from 'secure-json-parse'
import { AppError } from '../errors.js'

/** Platform payloads nest a handful of levels; anything deeper is an attack on the parser or the database. */
const maxDepth = 64

/** Parses a webhook's raw bytes: malformed JSON, prototype-poisoning keys and absurd nesting are rejected. */
export function parseWebhookJson(raw: Buffer): unknown {
  let value: unknown
  try {
    value = sjson.parse(raw, undefined, { protoAction: 'error', constructorAction: 'error' })
  } catch (error) {
    const message = (error as Error).message
    throw new AppError(
      'bad_request',
      /prototype|constructor/i.test(message) ? 'The body contains forbidden keys (__proto__ or constructor.prototype)' : 'The body is not valid JSON',
    )
  }
  checkDepth(value)
  return value
}

/** Iterative, so the check itself cannot overflow the stack on a hostile body. */
function checkDepth(root: unknown): void {
  const stack: [unknown, number][] = [[root, 1]]
  while (stack.length > 0) {
    const [value, depth] = stack.pop() as [unknown, number]
    if (value === null || typeof value !== 'object') continue
    if (depth > maxDepth) throw new AppError('bad_request', `The body nests deeper than ${maxDepth} levels`)
    for (const child of Array.isArray(value) ? value : Object.values(value)) stack.push([child, depth + 1])
  }
}
