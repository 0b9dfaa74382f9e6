import type { WebhookDelivery } from '@carebox/shared'
import { useEffect } from 'react'
import { useStore } from '../../store/store'

/** How often the log is read again while an attempt is imminent. */
const refreshMs = 2000
/** A retry further off than this is left for the Refresh button: the schedule's next steps are minutes to hours. */
const dueSoonMs = 30_000

function isDueSoon(delivery: WebhookDelivery, now: number): boolean {
  if (delivery.status !== 'pending') return false
  return delivery.attempts === 0 || delivery.nextAttemptAt === null || Date.parse(delivery.nextAttemptAt) - now < dueSoonMs
}

/**
 * Reads an endpoint's delivery log again every few seconds while one of its deliveries is about to be attempted (a
 * test event, a replay, a retry seconds away), so its outcome shows without a reload; then stops.
 */
export function useDeliveryRefresh(endpointId: string, isActive: boolean): void {
  const log = useStore((s) => s.webhookDeliveryLogs[endpointId])
  const load = useStore((s) => s.loadWebhookDeliveries)
  useEffect(() => {
    if (!isActive || !log?.items.some((delivery) => isDueSoon(delivery, Date.now()))) return
    // Each read writes a new log, which schedules the next read for as long as something is still due.
    const timer = setTimeout(() => void load(endpointId), refreshMs)
    return () => clearTimeout(timer)
  }, [isActive, log, endpointId, load])
}
