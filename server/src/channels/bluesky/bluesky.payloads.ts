/**
 * The parts of AT Protocol / Bluesky objects the connector reads, per the lexicons
 * app.bsky.notification.listNotifications, app.bsky.feed.post and com.atproto.server.createSession.
 */
export interface BlueskyStrongRef {
  uri: string
  cid: string
}

export interface BlueskyBlob {
  ref?: { $link?: string }
  mimeType?: string
}

export interface BlueskyEmbed {
  $type?: string
  images?: { image?: BlueskyBlob; alt?: string }[]
  video?: BlueskyBlob
  media?: BlueskyEmbed
}

export interface BlueskyPostRecord {
  $type?: string
  text?: string
  createdAt?: string
  reply?: { root: BlueskyStrongRef; parent: BlueskyStrongRef }
  embed?: BlueskyEmbed
}

export interface BlueskyNotification {
  uri: string
  cid: string
  author: { did: string; handle?: string; displayName?: string; avatar?: string }
  reason: string
  reasonSubject?: string
  record: BlueskyPostRecord
  isRead?: boolean
  indexedAt: string
}

export interface BlueskyNotificationPage {
  cursor?: string
  notifications: BlueskyNotification[]
}

export interface BlueskySessionAnswer {
  accessJwt: string
  refreshJwt: string
  did: string
  handle?: string
}
