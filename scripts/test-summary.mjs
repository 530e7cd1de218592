// Prints the one closing line CI reads: "N passed, N failed", all tiers and static checks added up.
// Usage: node scripts/test-summary.mjs <failed static checks> <jest-json>...
import { existsSync, readFileSync } from 'node:fs';

const [failedChecksArg = '0', ...reports] = process.argv.slice(2);
let passed = 0;
let failed = Number(failedChecksArg);
let executed = 0;

for (const path of reports) {
  if (!existsSync(path)) {
    console.error(`test-summary: ${path} is missing (jest did not finish): counted as one failure`);
    failed += 1;
    continue;
  }
  const report = JSON.parse(readFileSync(path, 'utf8'));
  passed += report.numPassedTests;
  failed += report.numFailedTests;
  executed += report.numTotalTests;
  // A suite that could not even start (syntax error, failing import) has no test results: count it once.
  failed += report.testResults.filter((suite) => suite.status === 'failed' && suite.assertionResults.length === 0).length;
}
if (executed === 0) failed += 1; // a run that executed no test is a failure, not a pass
console.log(`${passed} passed, ${failed} failed`);
process.exitCode = failed === 0 ? 0 : 1;
