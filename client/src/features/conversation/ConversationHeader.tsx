import { reportsApi, type ConversationSummary } from '@carebox/shared'
import { useEffect } from 'react'
import { ChannelBadge } from '../../components/ChannelBadge'
import { contactName } from '../../components/contactName'
import { formatDateTime } from '../../components/formatTime'
import { SlaBadge } from '../../components/SlaBadge'
import { TagsEditor } from '../../components/TagsEditor'
import { useStore } from '../../store/store'
import { AssignControl } from './AssignControl'
import { ConversationAttribution } from './ConversationAttribution'
import { ConversationViewers } from './ConversationViewers'
import { FollowUpDialog } from './FollowUpDialog'
import { FollowUps } from './FollowUps'
import { PriorityControl } from './PriorityControl'
import { SatisfactionSurvey } from './SatisfactionSurvey'
import { StatusControl } from './StatusControl'
import { TransferControl } from './TransferControl'

/** The conversation as plain text, to keep or send on; the session cookie lets a plain link download it. */
function transcriptUrl(id: string): string {
  return reportsApi.transcript.url.replace(':id', encodeURIComponent(id))
}

const statusLabels: Record<ConversationSummary['status'], string> = { open: 'Open', snoozed: 'Snoozed', resolved: 'Resolved' }

/** Who the conversation is with, where it stands (its follow-up too), who else has it open, and what can be done with it. */
export function ConversationHeader({ conversation }: { conversation: ConversationSummary }) {
  const assign = useStore((s) => s.assignConversation)
  const setStatus = useStore((s) => s.setConversationStatus)
  const resolveAndOpenNext = useStore((s) => s.resolveAndOpenNext)
  const update = useStore((s) => s.updateConversation)
  const transfer = useStore((s) => s.transferConversation)
  const error = useStore((s) => s.actionErrors[conversation.id])
  const isFollowUpOpen = useStore((s) => s.followUpDialogFor === conversation.id)
  const setFollowUpDialog = useStore((s) => s.setFollowUpDialog)
  const { id } = conversation

  // Leaving the conversation (another one, another page) closes its follow-up dialog: it does not wait for a return.
  useEffect(() => {
    return () => {
      if (useStore.getState().followUpDialogFor === id) setFollowUpDialog(null)
    }
  }, [id, setFollowUpDialog])
  return (
    <header className="conversation-header">
      <ChannelBadge kind={conversation.channel.kind} name={conversation.channel.name} />
      <div className="conversation-title">
        <h2>
          <bdi>{contactName(conversation)}</bdi>
        </h2>
        <p className="muted">
          {conversation.channel.name} ·{' '}
          {conversation.kind === 'dm' ? 'private messages' : `public thread${conversation.subject ? ` on ${conversation.subject}` : ''}`}
        </p>
        <p className="conversation-facts" aria-label="Conversation state">
          <span className={`state state-${conversation.status}`}>{statusLabels[conversation.status]}</span>
          {conversation.status === 'snoozed' && conversation.snoozedUntil && <span>until {formatDateTime(conversation.snoozedUntil)}</span>}
          <span>
            {conversation.assignee ? (
              <>
                Assigned to <bdi>{conversation.assignee.name}</bdi>
              </>
            ) : (
              'Unassigned'
            )}
          </span>
          <SlaBadge sla={conversation.sla} />
        </p>
      </div>
      <ConversationViewers conversationId={id} />
      <div className="conversation-actions" role="group" aria-label="Conversation actions">
        <AssignControl conversation={conversation} onAssign={(assigneeId) => void assign(id, assigneeId)} />
        <StatusControl
          conversation={conversation}
          // Resolving finishes the conversation: the next one of the view opens, so the work flows on.
          onStatus={(status, until) => void (status === 'resolved' ? resolveAndOpenNext(id) : setStatus(id, status, until))}
        />
        <button type="button" aria-keyshortcuts="f" onClick={() => setFollowUpDialog(id)}>
          Follow up…
        </button>
      </div>
      <div className="conversation-meta">
        <PriorityControl priority={conversation.priority} onChange={(priority) => void update(id, { priority })} />
        <TransferControl conversation={conversation} onTransfer={(teamId) => void transfer(id, teamId)} />
        <TagsEditor tags={conversation.tags} label="Conversation tags" inputLabel="Add a conversation tag" onChange={(tags) => void update(id, { tags })} />
        <a href={transcriptUrl(id)} download>
          Transcript
        </a>
      </div>
      <FollowUps key={id} conversation={conversation} />
      <SatisfactionSurvey conversation={conversation} />
      <ConversationAttribution conversation={conversation} />
      {error && (
        <p role="alert" className="error conversation-action-error">
          {error}
        </p>
      )}
      {isFollowUpOpen && <FollowUpDialog conversation={conversation} onClose={() => setFollowUpDialog(null)} />}
    </header>
  )
}
