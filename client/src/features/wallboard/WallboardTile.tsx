import { useId, type ReactNode } from 'react'

/** One big figure on the wall screen, with what it counts underneath. */
export function WallboardTile({ label, value, note, tone }: { label: string; value: ReactNode; note?: ReactNode; tone?: 'calm' | 'warn' | 'alert' }) {
  const labelId = useId()
  return (
    <section className={`wallboard-tile${tone ? ` wallboard-${tone}` : ''}`} aria-labelledby={labelId}>
      <h2 id={labelId}>{label}</h2>
      <p className="wallboard-value">{value}</p>
      {note && <p className="wallboard-note">{note}</p>}
    </section>
  )
}
