// Runs every benchmark in turn: npm run bench
import { execFileSync } from 'node:child_process'

for (const name of ['import', 'broadcast', 'quiz', 'reports', 'exports', 'webhook']) {
  console.log(`\n=== bench/${name}.ts`)
  try {
    execFileSync(process.execPath, ['--import', 'tsx', `bench/${name}.ts`], { stdio: 'inherit' })
  } catch {
    console.log(`bench/${name}.ts exited with an error`)
    process.exitCode = 1
  }
}
