export * from './contract.js'
export * from './common.js'
export * from './system.js'
export * from './channels.js'
