import { Kind } from '@sinclair/typebox'
import { describe, expect, it } from 'vitest'
import * as shared from '../../shared/src/index.js'
import { errorCodes, ErrorBody, type RouteContract } from '../../shared/src/index.js'

/** Every route contract exported from shared, found by shape. */
function allContracts(): [string, RouteContract][] {
  const found: [string, RouteContract][] = []
  for (const [exportName, value] of Object.entries(shared)) {
    if (!exportName.endsWith('Api') || typeof value !== 'object' || value === null) continue
    for (const [name, contract] of Object.entries(value as Record<string, RouteContract>)) {
      found.push([`${exportName}.${name}`, contract])
    }
  }
  return found
}

describe('route contracts', () => {
  it('are found', () => {
    expect(allContracts().length).toBeGreaterThan(0)
  })

  it.each(allContracts())('%s declares an absolute URL, a summary and a 200 schema', (_name, contract) => {
    expect(contract.url).toMatch(/^\/[a-z0-9/:_.-]*$/i)
    expect(contract.summary.length).toBeGreaterThan(0)
    expect(contract.schema.response[200]?.[Kind]).toBeDefined()
  })

  it('never declare the same method and URL twice', () => {
    const keys = allContracts().map(([, c]) => `${c.method} ${c.url}`)

    expect(new Set(keys).size).toBe(keys.length)
  })
})

describe('ErrorBody', () => {
  it('allows exactly the codes errorCodes maps to a status', () => {
    const codes = ErrorBody.properties.error.properties.code.anyOf.map((s: { const: string }) => s.const)

    expect(codes.sort()).toEqual(Object.keys(errorCodes).sort())
  })
})
