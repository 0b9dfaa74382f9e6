import type { IssuedLink } from '@carebox/shared'
import { OneTimeSecret } from '../../components/OneTimeSecret'
import { RelativeTime } from '../../components/RelativeTime'

export interface IssuedLinkFor {
  title: string
  link: IssuedLink
}

export function IssuedLinkNotice({ issued, onDone }: { issued: IssuedLinkFor; onDone: () => void }) {
  return (
    <OneTimeSecret title={issued.title} value={issued.link.url} onDone={onDone}>
      Send it to them yourself. It works once, expires <RelativeTime at={issued.link.expiresAt} />, and is shown only now.
    </OneTimeSecret>
  )
}
