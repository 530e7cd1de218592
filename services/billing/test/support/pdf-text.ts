import { execFile } from 'node:child_process';
import path from 'node:path';

/**
 * Reads the PDF from stdin and prints its text, in a plain Node process: pdf.js (inside pdf-parse) starts its
 * worker with a dynamic `import()`, which Jest's module sandbox does not allow.
 */
const extractor = `
import { PDFParse } from 'pdf-parse';
const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const parser = new PDFParse({ data: new Uint8Array(Buffer.concat(chunks)) });
const { text } = await parser.getText();
await parser.destroy();
process.stdout.write(text);
`;

/** The text of a PDF document, as a reader would extract it (pdf.js through pdf-parse). */
export function pdfText(document: Uint8Array): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      process.execPath,
      ['--input-type=module', '-e', extractor],
      { cwd: path.resolve(__dirname, '../..'), maxBuffer: 10 * 1024 * 1024, timeout: 30_000 },
      (error, stdout, stderr) =>
        error ? reject(new Error(`PDF text extraction failed: ${stderr || error.message}`)) : resolve(stdout),
    );
    child.stdin?.end(Buffer.from(document));
  });
}
