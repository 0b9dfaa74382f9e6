import { channelKindNames, type ChannelKind, type ConversationReferral } from '@carebox/shared'

/** What the agent reads about where a customer came from, and a link to the ad or page when there is a safe one. */
export interface ReferralWords {
  /** "Came from the ad “Spring sale”", "Came from the link ref=qr-store-berlin". */
  text: string
  /** "(Instagram ad, id 120226305854810726)": the platform's ids, for matching with the ads manager. */
  detail: string | null
  link: { href: string; label: string } | null
}

/**
 * An http(s) address without credentials, or null: the referral's URL comes from an advertiser and Meta, and a
 * `javascript:` or `data:` one must never become a link.
 */
export function safeReferralHref(raw: string | null): string | null {
  if (!raw) return null
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    return null
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null
  if (url.username || url.password) return null
  return url.href
}

export function referralWords(referral: ConversationReferral, channelKind: ChannelKind): ReferralWords {
  const platform = channelKindNames[channelKind]
  const href = safeReferralHref(referral.sourceUrl)
  if (referral.kind === 'ad') {
    const id = referral.adId ?? referral.sourceId
    return {
      text: referral.headline ? `Came from the ad “${referral.headline}”` : `Came from ${platform === 'Instagram' ? 'an' : 'a'} ${platform} ad`,
      detail: referral.headline || id ? `(${platform} ad${id ? `, id ${id}` : ''})` : null,
      link: href ? { href, label: 'Open the ad' } : null,
    }
  }
  if (referral.ref) return { text: `Came from the link ref=${referral.ref}`, detail: null, link: href ? { href, label: 'Open the page' } : null }
  if (referral.sourceType === 'post') {
    return {
      text: referral.headline ? `Came from the post “${referral.headline}”` : `Came from a ${platform} post`,
      detail: referral.sourceId ? `(post id ${referral.sourceId})` : null,
      link: href ? { href, label: 'Open the post' } : null,
    }
  }
  return { text: `Came from a ${platform} link`, detail: null, link: href ? { href, label: 'Open the link' } : null }
}
