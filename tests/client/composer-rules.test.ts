import { describe, expect, it } from 'vitest'
import { checkDraft, checkNote, checkReply, counterLabel, windowNotice } from '../../client/src/features/conversation/composer-rules'
import { conversationOf } from './conversation-fixtures'

const now = new Date('2026-03-10T12:00:00.000Z')
const hoursBefore = (hours: number) => new Date(now.getTime() - hours * 3_600_000).toISOString()

describe('checkReply', () => {
  it('counts characters against the platform limit', () => {
    const check = checkReply(conversationOf({ lastInboundAt: hoursBefore(1) }), 'x'.repeat(123), now)

    expect(counterLabel(check)).toBe('123 / 2000')
    expect(check.isOverLimit).toBe(false)
    expect(check.canSend).toBe(true)
  })

  it('refuses to send past the limit', () => {
    const check = checkReply(conversationOf({ lastInboundAt: hoursBefore(1) }), 'x'.repeat(2001), now)

    expect(counterLabel(check)).toBe('2001 / 2000')
    expect(check.isOverLimit).toBe(true)
    expect(check.canSend).toBe(false)
    expect(check.blockedBy).toBe('too_long')
  })

  it('refuses to send an empty or blank reply', () => {
    expect(checkReply(conversationOf(), '   \n', now)).toMatchObject({ canSend: false, blockedBy: 'empty' })
  })

  it('counts graphemes on Bluesky', () => {
    const target = conversationOf({ channel: { id: crypto.randomUUID(), kind: 'bluesky', name: 'Acme on Bluesky' }, kind: 'public' })

    expect(counterLabel(checkReply(target, '👍🏽👍🏽', now))).toBe('2 / 300')
  })

  it('closes a WhatsApp conversation 24 hours after the customer last wrote, saying why', () => {
    const target = conversationOf({ channel: { id: crypto.randomUUID(), kind: 'whatsapp', name: 'Acme on WhatsApp' }, lastInboundAt: hoursBefore(25) })

    const check = checkReply(target, 'Hello again', now)

    expect(check.window?.state).toBe('closed')
    expect(check.canSend).toBe(false)
    expect(check.blockedBy).toBe('window_closed')
    expect(windowNotice(check.window, now)).toEqual({ tone: 'blocked', text: expect.stringContaining("WhatsApp's 24-hour window has closed") })
  })

  it('answers a Messenger customer after 30 hours as a human agent, until 7 days after they wrote', () => {
    const check = checkReply(conversationOf({ lastInboundAt: hoursBefore(30) }), 'Sorry for the wait', now)

    expect(check.window?.state).toBe('human_agent')
    expect(check.canSend).toBe(true)
    expect(windowNotice(check.window, now)?.text).toMatch(/^Sent as a human agent reply \(HUMAN_AGENT tag\), possible until .+/)
  })

  it('says how long the window stays open', () => {
    const check = checkReply(conversationOf({ lastInboundAt: hoursBefore(21) }), 'Hi', now)

    expect(windowNotice(check.window, now)).toEqual({ tone: 'info', text: 'Window closes in 3 h' })
  })

  it('warns in minutes in the last hour', () => {
    const check = checkReply(conversationOf({ lastInboundAt: hoursBefore(23.5) }), 'Hi', now)

    expect(windowNotice(check.window, now)).toEqual({ tone: 'warning', text: 'Window closes in 30 min' })
  })

  it('has no window for a public comment', () => {
    const check = checkReply(conversationOf({ kind: 'public', lastInboundAt: hoursBefore(24 * 30) }), 'Thanks!', now)

    expect(check.window).toEqual({ state: 'open', closesAt: null })
    expect(windowNotice(check.window, now)).toBeNull()
    expect(counterLabel(check)).toBe('7 / 8000')
    expect(check.canSend).toBe(true)
  })
})

describe('checkNote', () => {
  it('has no platform limit and no window', () => {
    const check = checkNote('x'.repeat(5000))

    expect(counterLabel(check)).toBeNull()
    expect(check.window).toBeNull()
    expect(check.canSend).toBe(true)
  })

  it('is what checkDraft applies to notes, even when the reply window is closed', () => {
    const target = conversationOf({ channel: { id: crypto.randomUUID(), kind: 'whatsapp', name: 'WA' }, lastInboundAt: hoursBefore(48) })

    expect(checkDraft('note', target, 'Customer called instead', now).canSend).toBe(true)
    expect(checkDraft('reply', target, 'Customer called instead', now).canSend).toBe(false)
  })
})
