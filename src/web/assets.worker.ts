// The Worker's copy of the assets, bundled as text modules (wrangler.toml [[rules]] type "Text").
// Scripts are reached through the .txt links in assets/text/ (esbuild bundles any .js as code).
// Node reads the same files from disk instead (src/node/assets.ts).
import chartJs from './assets/text/chart.umd.min.js.txt'
import chartsJs from './assets/text/charts.js.txt'
import pickerJs from './assets/text/picker.js.txt'
import liveJs from './assets/text/live.js.txt'
import guide from './assets/text/huong-dan.md.txt'
import favicon from './assets/favicon.svg'
import loaCss from './assets/loa.css'
import type { AssetFiles } from './asset-names.js'

export const assets: AssetFiles = {
  'loa.css': loaCss,
  'favicon.svg': favicon,
  'charts.js': chartsJs,
  'picker.js': pickerJs,
  'chart.umd.min.js': chartJs,
  'live.js': liveJs,
  'huong-dan.md': guide,
}
