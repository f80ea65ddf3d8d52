export * from './directory.js'
export * from './chat.js'
export * from './outbox.js'
export * from './broadcast.js'
