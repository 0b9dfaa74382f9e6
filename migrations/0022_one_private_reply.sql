-- One private reply per comment (Meta's rule), held by the database too: two agents at once cannot both pass the
-- check. It is also the index the thread uses to tell whether a comment had its private reply.
create unique index messages_one_private_reply on messages (conversation_id, reply_to_external_id)
  where direction = 'outbound' and reply_to_external_id is not null and reply_context->>'visibility' = 'private' and status <> 'failed';
