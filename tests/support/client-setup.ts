import '@testing-library/jest-dom/vitest'
import { cleanup } from '@testing-library/react'
import { afterEach } from 'vitest'
import { useStore } from '../../client/src/store/store'

const initialState = useStore.getState()

afterEach(() => {
  cleanup()
  useStore.setState(initialState, true)
  window.history.replaceState(null, '', '/')
})
