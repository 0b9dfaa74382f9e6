import { useId, type ReactNode } from 'react'

/** One big figure on the wall screen, with what it counts underneath. */
export function WallboardTile({ label, value, note, tone }: { label: string; value: ReactNode; note?: ReactNode; tone?: 'calm' | 'warn' | 'alert' }) {
  const labelId = useId()
  return (
    <section className={`wallboard-tile${tone ? ` wallboard-${tone}` : ''}`} aria-labelledby={labelId}>
      <h2 id={labelId}>{label}</h2>
      {/* A wait past ten hours ("13:12:18") is a character or two longer than any other figure. */}
      <p className={typeof value === 'string' && value.length > 7 ? 'wallboard-value wallboard-value-long' : 'wallboard-value'}>{value}</p>
      {note && <p className="wallboard-note">{note}</p>}
    </section>
  )
}
