import { playChime } from './chime'
import { requestDesktopPermission, setSoundOn, useDesktopPermission, useSoundSetting } from './notification-settings'
import './notifications.css'

/** In the shell: turn on browser notifications (it must be a click) and the chime, for this device. */
export function NotificationSettings() {
  const permission = useDesktopPermission()
  const isSoundOn = useSoundSetting()
  return (
    <div className="shell-notifications" role="group" aria-label="Notifications">
      {permission === 'default' && (
        <button type="button" className="shell-button" onClick={() => void requestDesktopPermission()}>
          Turn on notifications
        </button>
      )}
      {permission === 'denied' && <span className="shell-note">Browser notifications are blocked for this site.</span>}
      <label className="shell-toggle">
        <input
          type="checkbox"
          checked={isSoundOn}
          onChange={(event) => {
            setSoundOn(event.target.checked)
            // Plays it once: the choice is heard, and the click lets the browser play sound later.
            if (event.target.checked) playChime()
          }}
        />
        Sound for notifications
      </label>
    </div>
  )
}
