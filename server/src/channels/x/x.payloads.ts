/**
 * The parts of X payloads the connector reads: Account Activity API (AAA) webhook bodies, which carry v1.1
 * objects (https://developer.x.com/en/docs/x-api/enterprise/account-activity-api/guides/account-activity-data-objects),
 * and v2 mentions timeline answers (https://docs.x.com/x-api/posts/get-mentions).
 */
export interface XUrlEntity {
  url: string
  expanded_url?: string
}

export interface XMediaEntity {
  url?: string
  media_url_https?: string
  type?: 'photo' | 'video' | 'animated_gif'
}

export interface XV1User {
  id_str: string
  screen_name?: string
  name?: string
  profile_image_url_https?: string
}

export interface XV1Tweet {
  id_str: string
  created_at?: string
  timestamp_ms?: string
  text?: string
  truncated?: boolean
  extended_tweet?: { full_text?: string; entities?: { urls?: XUrlEntity[] }; extended_entities?: { media?: XMediaEntity[] } }
  in_reply_to_status_id_str?: string | null
  user: XV1User
  retweeted_status?: unknown
  entities?: { urls?: XUrlEntity[] }
  extended_entities?: { media?: XMediaEntity[] }
}

export interface XDirectMessageEvent {
  type: string
  id: string
  created_timestamp: string
  message_create?: {
    target: { recipient_id: string }
    sender_id: string
    message_data: {
      text?: string
      entities?: { urls?: XUrlEntity[] }
      attachment?: { type: 'media'; media: XMediaEntity }
      /** v1.1 quick replies: the option tapped, by the metadata its sender gave it. */
      quick_reply_response?: { type?: string; metadata?: string }
    }
  }
}

export interface XTweetDeleteEvent {
  status: { id: string; user_id: string }
  timestamp_ms: string
}

export interface XActivityBody {
  for_user_id?: string
  direct_message_events?: XDirectMessageEvent[]
  tweet_create_events?: XV1Tweet[]
  tweet_delete_events?: XTweetDeleteEvent[]
  users?: Record<string, { id: string; name?: string; screen_name?: string; profile_image_url_https?: string }>
  [key: string]: unknown
}

export interface XV2Tweet {
  id: string
  text: string
  created_at?: string
  author_id?: string
  conversation_id?: string
  in_reply_to_user_id?: string
  referenced_tweets?: { type: 'replied_to' | 'quoted' | 'retweeted'; id: string }[]
}

export interface XV2User {
  id: string
  name?: string
  username?: string
  profile_image_url?: string
}

export interface XMentionsPage {
  data?: XV2Tweet[]
  includes?: { users?: XV2User[] }
  meta?: { result_count?: number; newest_id?: string; oldest_id?: string; next_token?: string }
}

/**
 * One polled mention as stored in an inbound envelope (our own shape, not X's): the v2 tweet with its author
 * taken from the page's `includes.users`, so parse() needs nothing but the envelope.
 */
export interface XPolledMention {
  source: 'x.mentions.v2'
  tweet: XV2Tweet
  author?: XV2User
}
