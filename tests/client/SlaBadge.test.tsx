import type { ConversationSla } from '@carebox/shared'
import { act, render, screen } from '@testing-library/react'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { SlaBadge } from '../../client/src/components/SlaBadge'

const now = new Date('2026-03-03T09:00:00.000Z')
const minutesFromNow = (minutes: number) => new Date(now.getTime() + minutes * 60_000).toISOString()
const active = (minutes: number): ConversationSla => ({ state: 'active', dueAt: minutesFromNow(minutes) })

beforeEach(() => {
  vi.useFakeTimers({ now, toFake: ['Date', 'setInterval', 'clearInterval'] })
})

afterEach(() => {
  vi.useRealTimers()
})

/** The pill: the element carrying the tooltip sentence. */
function badge(): HTMLElement {
  const pill = document.querySelector<HTMLElement>('.sla-badge')
  if (!pill) throw new Error('no SLA badge')
  return pill
}

describe('SlaBadge', () => {
  it('is green with the time left when the deadline is more than 15 minutes away', () => {
    render(<SlaBadge sla={active(30)} />)

    expect(badge()).toHaveClass('sla-green')
    expect(screen.getByText('30m left')).toBeInTheDocument()
    expect(badge().title).toMatch(/^SLA on track: 30m left \(due .+\)$/)
    expect(screen.getByText(badge().title)).toHaveClass('visually-hidden')
  })

  it('is amber within 15 minutes of the deadline', () => {
    render(<SlaBadge sla={active(10)} />)

    expect(badge()).toHaveClass('sla-amber')
    expect(screen.getByText('10m left')).toBeInTheDocument()
    expect(badge().title).toMatch(/^SLA at risk: 10m left/)
  })

  it('is red and says how long ago once the deadline passed', () => {
    render(<SlaBadge sla={{ state: 'breached', dueAt: minutesFromNow(-5) }} />)

    expect(badge()).toHaveClass('sla-red')
    expect(screen.getByText('Breached 5m ago')).toBeInTheDocument()
    expect(badge().title).toMatch(/^SLA breached 5m ago \(due .+\)$/)
  })

  it('is red when a running deadline passed before the server marked it breached', () => {
    render(<SlaBadge sla={active(-2)} />)

    expect(badge()).toHaveClass('sla-red')
    expect(screen.getByText('Breached 2m ago')).toBeInTheDocument()
  })

  it('is grey and says the clock waits on the customer while paused', () => {
    render(<SlaBadge sla={{ state: 'paused', dueAt: null }} />)

    expect(badge()).toHaveClass('sla-paused')
    expect(screen.getByText('SLA paused')).toBeInTheDocument()
    expect(badge()).toHaveAttribute('title', 'SLA paused: waiting on the customer')
  })

  it('shows nothing when no SLA applies', () => {
    const { container } = render(<SlaBadge sla={null} />)

    expect(container).toBeEmptyDOMElement()
  })

  it('turns amber as time passes, without any new data', () => {
    render(<SlaBadge sla={active(16)} />)
    expect(badge()).toHaveClass('sla-green')

    act(() => vi.advanceTimersByTime(2 * 60_000))

    expect(badge()).toHaveClass('sla-amber')
    expect(screen.getByText('14m left')).toBeInTheDocument()
  })
})
