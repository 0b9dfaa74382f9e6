import type { ReferralKind } from '@carebox/shared'
import type { Referral } from '../channels/connector.js'

/**
 * An ad or a link (integrations spec §4): Messenger and Instagram say `source: ADS` (and give an `ad_id`), WhatsApp
 * says `source_type: ad`. Everything else (m.me and ig.me links with a `ref`, a WhatsApp post, a chat plugin, a source
 * Meta adds later) counts as a link: the customer still came from somewhere we published.
 */
export function referralKind(referral: Referral): ReferralKind {
  if (referral.source?.toUpperCase() === 'ADS' || referral.adId !== undefined || referral.sourceType?.toLowerCase() === 'ad') return 'ad'
  return 'link'
}

/** What reports group a referral under: the ad (its id, WhatsApp's source id) or the link's ref. */
export function referralCampaign(referral: Referral): string | null {
  if (referralKind(referral) === 'ad') return referral.adId ?? referral.sourceId ?? referral.ref ?? null
  return referral.ref ?? referral.sourceId ?? null
}
