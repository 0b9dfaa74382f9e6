import { useEffect, useState } from 'react'
import { useStore } from '../../store/store'
import './canned-replies.css'
import { CannedReplyForm } from './CannedReplyForm'
import { CannedReplyRow } from './CannedReplyRow'

export function CannedRepliesPanel() {
  const replies = useStore((s) => s.cannedReplies)
  const error = useStore((s) => s.cannedRepliesError)
  const loadReplies = useStore((s) => s.loadCannedReplies)
  const loadTeams = useStore((s) => s.loadTeams)
  const [isAdding, setAdding] = useState(false)

  useEffect(() => {
    void loadReplies()
    void loadTeams()
  }, [loadReplies, loadTeams])

  return (
    <section className="panel" aria-labelledby="canned-replies-heading">
      <div className="panel-head">
        <h2 id="canned-replies-heading">Canned replies</h2>
        {!isAdding && (
          <button type="button" className="primary" onClick={() => setAdding(true)}>
            Add a canned reply
          </button>
        )}
      </div>
      <p className="muted">
        Answers agents insert by typing <code>/</code> and the shortcut in the composer. A reply for everyone is offered to every team; a team’s reply only to
        its members.
      </p>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      {isAdding && <CannedReplyForm onDone={() => setAdding(false)} />}
      {replies === null ? (
        <p className="muted">Loading…</p>
      ) : replies.length === 0 ? (
        <p className="muted">No canned replies yet.</p>
      ) : (
        <div className="table-wrap">
          <table className="data-table canned-table" aria-label="Canned replies">
            <thead>
              <tr>
                <th scope="col">Shortcut</th>
                <th scope="col">Title</th>
                <th scope="col">Team</th>
                <th scope="col">Reply</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {replies.map((reply) => (
                <CannedReplyRow key={reply.id} reply={reply} />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  )
}
