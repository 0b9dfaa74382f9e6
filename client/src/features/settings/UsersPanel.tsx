import { useEffect, useState } from 'react'
import { useStore } from '../../store/store'
import { InviteForm } from './InviteForm'
import { IssuedLinkNotice, type IssuedLinkFor } from './IssuedLinkNotice'
import { PendingInvites } from './PendingInvites'
import { UserRow } from './UserRow'

export function UsersPanel() {
  const users = useStore((s) => s.users)
  const error = useStore((s) => s.usersError)
  const loadUsers = useStore((s) => s.loadUsers)
  const loadTeams = useStore((s) => s.loadTeams)
  const [isInviting, setInviting] = useState(false)
  // Links are answered once: they live in this component only, and are gone once dismissed.
  const [issued, setIssued] = useState<IssuedLinkFor | null>(null)

  useEffect(() => {
    void loadUsers()
    void loadTeams()
  }, [loadUsers, loadTeams])

  return (
    <section className="panel" aria-labelledby="users-heading">
      <div className="panel-head">
        <h2 id="users-heading">Users</h2>
        {!isInviting && (
          <button type="button" className="primary" onClick={() => setInviting(true)}>
            Invite someone
          </button>
        )}
      </div>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      {issued && <IssuedLinkNotice issued={issued} onDone={() => setIssued(null)} />}
      {isInviting && (
        <InviteForm
          onCancel={() => setInviting(false)}
          onInvited={(email, link) => {
            setInviting(false)
            setIssued({ title: `Invitation link for ${email}`, link })
          }}
        />
      )}
      <PendingInvites />
      {users === null ? (
        <p className="muted">Loading…</p>
      ) : (
        <div className="table-wrap">
          <table className="data-table" aria-label="Users">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Email</th>
                <th scope="col">Role</th>
                <th scope="col">Teams</th>
                <th scope="col">Status</th>
                <th scope="col">Last sign-in</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {users.map((user) => (
                <UserRow key={user.id} user={user} onLinkIssued={setIssued} />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  )
}
