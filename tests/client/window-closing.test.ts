import { describe, expect, it } from 'vitest'
import { windowClosingAt } from '../../client/src/components/window-closing'
import { conversationOf } from './conversation-fixtures'

const now = new Date('2026-03-04T12:00:00.000Z')
const whatsapp = { id: crypto.randomUUID(), kind: 'whatsapp' as const, name: 'Acme on WhatsApp' }

/** A chat where the customer wrote `hours` before now and has the last word. */
function waiting(hours: number, overrides: Parameters<typeof conversationOf>[0] = {}) {
  const at = new Date(now.getTime() - hours * 3_600_000).toISOString()
  return conversationOf({ lastInboundAt: at, lastMessageAt: at, ...overrides })
}

describe('windowClosingAt', () => {
  it('says when the window closes only within the last two hours of it', () => {
    expect(windowClosingAt(waiting(22), now)).toBe('2026-03-04T14:00:00.000Z')
    expect(windowClosingAt(waiting(23.9, { channel: whatsapp }), now)).toBe('2026-03-04T12:06:00.000Z')
    expect(windowClosingAt(waiting(21.9), now)).toBeNull()
    expect(windowClosingAt(waiting(24), now)).toBeNull()
  })

  it('says nothing when we have the last word, in public threads, on platforms without a window, or off the open list', () => {
    expect(windowClosingAt(waiting(23, { lastMessageAt: new Date(now.getTime() - 3_600_000).toISOString() }), now)).toBeNull()
    expect(windowClosingAt(waiting(23, { kind: 'public' }), now)).toBeNull()
    expect(windowClosingAt(waiting(23, { channel: { ...whatsapp, kind: 'telegram' } }), now)).toBeNull()
    expect(windowClosingAt(waiting(23, { status: 'snoozed' }), now)).toBeNull()
  })
})
