import type { WebhookDelivery, WebhookEventType } from '@carebox/shared'
import { format } from 'date-fns'

/** What each event type of the catalogue means, in the words of someone choosing what to receive. */
export const webhookEventTypeLabels: Record<WebhookEventType, string> = {
  'conversation.created': 'A conversation starts',
  'conversation.assigned': 'A conversation is assigned or unassigned',
  'conversation.transferred': 'A conversation moves to another team',
  'conversation.status_changed': 'A conversation is resolved, reopened or snoozed',
  'message.created': 'A message comes in, or a reply or note is written',
  'message.updated': 'A reply is sent, delivered, read or fails',
  'contact.created': 'A customer is added',
  'contact.updated': 'A customer’s details change',
  'contact.merged': 'Customers are merged',
  'sla.breached': 'A service-level deadline is missed',
  'referral.received': 'A customer arrives from an ad or a link',
  'conversation.outcome': 'An outcome (a lead, a purchase) is recorded',
}

export type DeliveryTone = 'ok' | 'bad' | 'waiting'

/** A delivery's state in one word, and how it should look. */
export function deliveryState(delivery: WebhookDelivery): { label: string; tone: DeliveryTone } {
  if (delivery.status === 'succeeded') return { label: 'Delivered', tone: 'ok' }
  if (delivery.status === 'failed') return { label: 'Failed', tone: 'bad' }
  if (delivery.attempts > 0) return { label: 'Retrying', tone: 'waiting' }
  // No time yet: an earlier event of the same conversation is still being delivered, and this one goes after it.
  return delivery.nextAttemptAt === null ? { label: 'After an earlier event', tone: 'waiting' } : { label: 'Queued', tone: 'waiting' }
}

/** What the receiver answered the last attempt: its HTTP status, or why there was no answer. */
export function deliveryAnswer(delivery: WebhookDelivery): string | null {
  if (delivery.lastStatus !== null) return `HTTP ${delivery.lastStatus}`
  if (delivery.lastError) return `No answer: ${delivery.lastError}`
  return null
}

/** The line under "Send test event": where the test delivery stands. */
export function testEventOutcome(delivery: WebhookDelivery): { text: string; tone: DeliveryTone } {
  if (delivery.status === 'succeeded') {
    const latency = delivery.lastLatencyMs !== null ? ` in ${delivery.lastLatencyMs} ms` : ''
    return { text: `Test event delivered: the receiver answered HTTP ${delivery.lastStatus}${latency}.`, tone: 'ok' }
  }
  if (delivery.status === 'pending' && delivery.attempts === 0) return { text: 'Test event sent: waiting for the receiver’s answer…', tone: 'waiting' }
  const answer = delivery.lastStatus !== null ? `the receiver answered HTTP ${delivery.lastStatus}` : (delivery.lastError ?? 'no answer came')
  const next = delivery.status === 'pending' ? 'Carebox will try again; see the delivery log.' : 'See the delivery log.'
  return { text: `Test event not delivered: ${answer}. ${next}`, tone: 'bad' }
}

/** A time as a datetime-local input holds it, in the browser's time zone. */
export function toDateTimeInput(at: Date): string {
  return format(at, "yyyy-MM-dd'T'HH:mm")
}

const loopbackHosts = new Set(['127.0.0.1', 'localhost', '[::1]'])

/**
 * The page of the demo's example receiver, when an endpoint goes to it (on this machine, at /demo-receiver): the
 * same URL answers GET with what it received. Null for any other endpoint.
 */
export function demoReceiverPage(url: string): string | null {
  try {
    const parsed = new URL(url)
    const isHttp = parsed.protocol === 'http:' || parsed.protocol === 'https:'
    return isHttp && loopbackHosts.has(parsed.hostname) && parsed.pathname === '/demo-receiver' ? parsed.href : null
  } catch {
    return null
  }
}
