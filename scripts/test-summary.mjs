// Prints the one closing line CI reads: "N passed, N failed", all tiers and static checks added up.
// Usage: node scripts/test-summary.mjs <jest-json> <failed static checks>
import { existsSync, readFileSync } from 'node:fs';

const [jsonPath, failedChecksArg = '0'] = process.argv.slice(2);
let passed = 0;
let failed = Number(failedChecksArg);

if (jsonPath && existsSync(jsonPath)) {
  const report = JSON.parse(readFileSync(jsonPath, 'utf8'));
  passed += report.numPassedTests;
  failed += report.numFailedTests;
  // A suite that could not even start (syntax error, failing beforeAll import) has no test results: count it once.
  failed += report.testResults.filter((suite) => suite.status === 'failed' && suite.assertionResults.length === 0).length;
  if (report.numTotalTests === 0) failed += 1; // a run that executed no test is a failure, not a pass
} else {
  failed += 1; // jest never wrote its report
}
console.log(`${passed} passed, ${failed} failed`);
process.exitCode = failed === 0 ? 0 : 1;
