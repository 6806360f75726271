// CSV as RFC 4180 writes it: fields separated by commas, rows by CRLF or LF, a field in double
// quotes may hold commas, line breaks and doubled quotes.

/**
 * Parses `text` and returns `{ rows, total }`: the first `limit` rows (the header included) and
 * the number of data rows after the header.
 */
export function parseCsv(text, limit = Infinity) {
  const rows = [];
  let total = 0;
  let row = [];
  let fieldText = "";
  let quoted = false;
  let i = 0;
  const endRow = () => {
    row.push(fieldText);
    fieldText = "";
    if (!(row.length === 1 && row[0] === "")) {
      total += 1;
      if (rows.length < limit) rows.push(row);
    }
    row = [];
  };
  while (i < text.length) {
    const c = text[i];
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          fieldText += '"';
          i += 1;
        } else {
          quoted = false;
        }
      } else {
        fieldText += c;
      }
    } else if (c === '"') {
      quoted = true;
    } else if (c === ",") {
      row.push(fieldText);
      fieldText = "";
    } else if (c === "\n" || c === "\r") {
      if (c === "\r" && text[i + 1] === "\n") i += 1;
      endRow();
    } else {
      fieldText += c;
    }
    i += 1;
  }
  if (fieldText !== "" || row.length > 0) endRow();
  return { rows, total: Math.max(0, total - 1) };
}
