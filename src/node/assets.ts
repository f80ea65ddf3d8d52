import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { assetTypes, type AssetFiles, type AssetName } from '../web/asset-names.js'

const require = createRequire(import.meta.url)
const own = join(dirname(fileURLToPath(import.meta.url)), '..', 'web', 'assets')

/** Files from elsewhere: vendor files, found through their package (its `exports` do not list the browser builds), and the guide in docs/. */
const vendor: Partial<Record<AssetName, () => string>> = {
  'chart.umd.min.js': () => join(dirname(require.resolve('chart.js')), 'chart.umd.min.js'),
  'huong-dan.md': () => join(own, '..', '..', '..', 'docs', 'huong-dan.md'),
}

/** Reads every asset once, at start: a missing file stops the server here, not on a page view. */
export function loadAssets(): AssetFiles {
  const files = {} as AssetFiles
  for (const name of Object.keys(assetTypes) as AssetName[]) {
    files[name] = readFileSync(vendor[name]?.() ?? join(own, name), 'utf8')
  }
  return files
}
