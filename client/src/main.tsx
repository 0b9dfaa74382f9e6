import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { syncSocketWithSession } from './api/socket'
import { App } from './App'
import './styles.css'

const root = document.getElementById('root')
if (!root) throw new Error('index.html has no #root element')
syncSocketWithSession()
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
)
