/**
 * The dispatcher as its own process, for the kill -9 run of bench/broadcast.ts:
 *   node --import tsx bench/broadcast-child.ts DB_PATH TELEGRAM_API_ROOT RATE
 * It requeues what a previous (killed) run left in flight, as src/entry.node.ts does at start,
 * then sends until killed.
 */
import { createDispatcher } from '#src/delivery/dispatcher.js'
import { renderers } from '#src/domain/renderers.js'
import { benchDeps } from './broadcast-setup.js'

const [dbPath, root, rate] = process.argv.slice(2)
const { deps } = benchDeps(dbPath!, root!, Number(rate ?? 1000))
const dispatcher = createDispatcher(deps, renderers)
const requeued = await dispatcher.recover()
process.stdout.write(JSON.stringify({ started: true, requeued }) + '\n')
dispatcher.start(100)
process.on('SIGTERM', () => {
  void dispatcher.stop().then(() => process.exit(0))
})
