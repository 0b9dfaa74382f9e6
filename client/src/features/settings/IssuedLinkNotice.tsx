import type { IssuedLink } from '@carebox/shared'
import { CopyButton } from '../../components/CopyButton'
import { OneTimeSecret } from '../../components/OneTimeSecret'
import { RelativeTime } from '../../components/RelativeTime'

export interface IssuedLinkFor {
  title: string
  link: IssuedLink
}

export function IssuedLinkNotice({ issued, onDone }: { issued: IssuedLinkFor; onDone: () => void }) {
  const { link } = issued
  if (!link.emailedTo) {
    return (
      <OneTimeSecret title={issued.title} value={link.url} onDone={onDone}>
        Send it to them yourself. It works once, expires <RelativeTime at={link.expiresAt} />, and is shown only now.
      </OneTimeSecret>
    )
  }
  // Emailed: the link stays one click away, for when the email does not arrive (a spam filter, a typo'd server).
  return (
    <section className="one-time-secret" aria-label={issued.title}>
      <strong>{issued.title}</strong>
      <p className="one-time-secret-note">
        Emailed to {link.emailedTo}. The link works once and expires <RelativeTime at={link.expiresAt} />.
      </p>
      <details>
        <summary>Show the link, to pass it on yourself if the email does not arrive</summary>
        <div className="one-time-secret-value">
          <code>{link.url}</code>
          <CopyButton value={link.url} />
        </div>
      </details>
      <div className="form-actions">
        <button type="button" onClick={onDone}>
          Done
        </button>
      </div>
    </section>
  )
}
