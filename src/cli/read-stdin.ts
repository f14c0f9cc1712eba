import { fstatSync } from 'node:fs';

/**
 * Reads all of stdin when something is piped or redirected into it. A terminal (someone running
 * the command by hand) or a character device such as /dev/null is not read: nothing would come,
 * or the read would wait for the user.
 */
export async function readPipedStdin(): Promise<string | undefined> {
  let st;
  try {
    st = fstatSync(0);
  } catch {
    return undefined;
  }
  if (!st.isFIFO() && !st.isFile() && !st.isSocket()) return undefined;
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
