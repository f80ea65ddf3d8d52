export * from './directory.js'
export * from './chat.js'
export * from './outbox.js'
