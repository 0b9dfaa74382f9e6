import { useEffect } from 'react'
import { useStore } from '../../store/store'
import { degradedText, recoveryTexts } from './health-text'
import './health-banner.css'

/** Long enough to read that it is over; the banner then gives its room back. */
const recoveryShownMs = 5_000

/**
 * Across the top of the console while this node cannot reach its database or run its jobs, so agents know why
 * replies are not going out; in the layout's flow, so it pushes the page down rather than covering the composer.
 */
export function HealthBanner() {
  const health = useStore((s) => s.systemHealth)
  const recovery = useStore((s) => s.healthRecovery)
  const dismissRecovery = useStore((s) => s.dismissHealthRecovery)

  useEffect(() => {
    if (!recovery) return
    const timer = setTimeout(dismissRecovery, recoveryShownMs)
    return () => clearTimeout(timer)
  }, [recovery, dismissRecovery])

  if (health?.status === 'degraded') {
    return (
      <div className="shell-banner health-banner health-degraded" role="alert">
        {degradedText(health)}
      </div>
    )
  }
  if (!recovery) return null
  return (
    <div className="shell-banner health-banner health-recovered" role="status">
      {recoveryTexts[recovery]}
    </div>
  )
}
