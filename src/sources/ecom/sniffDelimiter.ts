/** Which of comma, semicolon and tab separates the header's fields: the most frequent one outside quotes. */
export type Delimiter = ',' | ';' | '\t';

const CANDIDATES: readonly Delimiter[] = [',', ';', '\t'];

/** `head` is the start of the file (decoded); only its first record, the header, is looked at. */
export function sniffDelimiter(head: string): Delimiter {
  const counts = new Map<string, number>(CANDIDATES.map((c) => [c, 0]));
  let quoted = false;
  for (const char of head.replace(/^\uFEFF/, '')) {
    if (char === '"') quoted = !quoted;
    else if (!quoted && (char === '\n' || char === '\r')) break;
    else if (!quoted && counts.has(char)) counts.set(char, counts.get(char)! + 1);
  }
  let best: Delimiter = ',';
  for (const candidate of CANDIDATES) {
    if (counts.get(candidate)! > counts.get(best)!) best = candidate;
  }
  return best;
}
