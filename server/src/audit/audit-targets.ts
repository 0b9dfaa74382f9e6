import { sql } from 'kysely'

/** target_id holds uuids for most kinds, and other ids (a change's seq) for some: only a uuid is looked up. */
const uuid = sql`(case when a.target_id ~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' then a.target_id::uuid end)`

/** The name of a conversation's customer, as the inbox shows it: their name, else their handle. */
const customer = sql`coalesce(nullif(ct.name, ''), ct.handle)`

/**
 * The audit entry's target by name, looked up as the log is read (one primary-key probe per entry shown): a channel's,
 * team's, person's or token's name, a webhook endpoint's URL, an invitation's email, a conversation's or message's
 * customer. What no longer exists falls back to a name the entry recorded in its details, else null. For an entry
 * aliased `a` in `audit_log`.
 */
export const auditTargetName = sql<string | null>`coalesce(
  case a.target_type
    when 'channel' then (select name from channels where id = ${uuid})
    when 'user' then (select name from users where id = ${uuid})
    when 'team' then (select name from teams where id = ${uuid})
    when 'token' then (select name from api_tokens where id = ${uuid})
    when 'webhook_endpoint' then (select url from webhook_endpoints where id = ${uuid})
    when 'canned_reply' then (select title from canned_replies where id = ${uuid})
    when 'rule' then (select name from automation_rules where id = ${uuid})
    when 'sla_policy' then (select name from sla_policies where id = ${uuid})
    when 'invite' then (select email from auth_links where id = ${uuid})
    when 'contact' then (select ${customer} from contacts ct where ct.id = ${uuid})
    when 'conversation' then (select ${customer} from conversations cv join contacts ct on ct.id = cv.contact_id where cv.id = ${uuid})
    when 'message' then (
      select ${customer} from messages m join conversations cv on cv.id = m.conversation_id join contacts ct on ct.id = cv.contact_id
      where m.id = ${uuid})
    when 'change' then '#' || a.target_id
  end,
  a.details->>'name', a.details->>'title', a.details->>'email', a.details->>'url')`
