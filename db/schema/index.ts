export * from './directory.js'
export * from './chat.js'
