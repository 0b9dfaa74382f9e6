import type { ChannelKind } from '@carebox/shared'

const short: Record<ChannelKind, string> = {
  facebook: 'FB',
  instagram: 'IG',
  whatsapp: 'WA',
  telegram: 'TG',
  x: 'X',
  mastodon: 'MA',
  bluesky: 'BS',
}

export function ChannelBadge({ kind, name }: { kind: ChannelKind; name?: string }) {
  return (
    <span className={`channel-badge channel-${kind}`} title={name ?? kind}>
      {short[kind]}
    </span>
  )
}
