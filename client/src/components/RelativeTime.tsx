import { formatDistanceToNowStrict } from 'date-fns'
import { formatFullDateTime } from './formatTime'

export function RelativeTime({ at }: { at: string }) {
  const date = new Date(at)
  return (
    <time dateTime={at} title={formatFullDateTime(date)}>
      {formatDistanceToNowStrict(date, { addSuffix: true })}
    </time>
  )
}
