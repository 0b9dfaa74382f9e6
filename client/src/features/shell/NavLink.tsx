import { useEffect, useRef, type MouseEvent } from 'react'
import { useStore } from '../../store/store'

export function NavLink({ path, isActive, icon, label }: { path: string; isActive: boolean; icon?: string; label: string }) {
  const navigate = useStore((s) => s.navigate)
  const link = useRef<HTMLAnchorElement>(null)
  useEffect(() => {
    // In a row of tabs that scrolls sideways (Settings on a phone), the current one is brought to the middle of it.
    const row = link.current?.parentElement
    if (!isActive || !link.current || !row || row.scrollWidth <= row.clientWidth) return
    row.scrollLeft = link.current.offsetLeft - (row.clientWidth - link.current.offsetWidth) / 2
  }, [isActive])
  const onClick = (event: MouseEvent<HTMLAnchorElement>) => {
    // Let the browser handle new-tab and new-window clicks.
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.button !== 0) return
    event.preventDefault()
    navigate(path)
  }
  return (
    <a ref={link} href={path} onClick={onClick} className={isActive ? 'nav-link active' : 'nav-link'} aria-current={isActive ? 'page' : undefined}>
      {icon && (
        <span className="nav-icon" aria-hidden="true">
          {icon}
        </span>
      )}
      <span>{label}</span>
    </a>
  )
}
