/** The parts of Mastodon entities the connector reads (https://docs.joinmastodon.org/entities/). */
export interface MastodonAccount {
  id: string
  username?: string
  acct: string
  display_name?: string
  avatar?: string
}

export interface MastodonMediaAttachment {
  id: string
  type: 'image' | 'gifv' | 'video' | 'audio' | 'unknown'
  url?: string | null
  remote_url?: string | null
}

export type MastodonVisibility = 'public' | 'unlisted' | 'private' | 'direct'

export interface MastodonStatus {
  id: string
  created_at: string
  in_reply_to_id?: string | null
  visibility: MastodonVisibility
  spoiler_text?: string
  content: string
  account: MastodonAccount
  media_attachments?: MastodonMediaAttachment[]
}

export interface MastodonNotification {
  id: string
  type: string
  created_at: string
  account: MastodonAccount
  status?: MastodonStatus | null
}
