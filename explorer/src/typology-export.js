// Exports of the typology matrix: CSV (one row per statement, and one per country with no
// assessment), SVG (the matrix drawn as a figure with title, key and source line) and PNG
// (the SVG rasterised in a canvas). All are built from the same /api/typology answer the page
// draws, so an export holds exactly the statements on screen.

const XML_ESCAPES = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;" };
const xml = (value) =>
  String(value)
    // eslint-disable-next-line no-control-regex -- characters XML 1.0 cannot hold
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, "")
    .replace(/[&<>"']/g, (c) => XML_ESCAPES[c]);

export const CSV_COLUMNS = [
  "country_code", "country", "position_notation", "position", "statement", "negated", "about",
  "scope", "quantifier", "quantifier_text", "level", "quote", "source", "line", "link",
];

function csvField(value) {
  const s = value === null || value === undefined ? "" : String(value);
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

/** The rows of the matrix in reading order: [{country, position, statement}] (statement null: no assessment). */
export function matrixRows(data) {
  const positions = new Map(data.positions.map((p) => [p.id, p]));
  const rows = [];
  for (const country of data.countries) {
    const cells = data.cells.filter((c) => c.country === country.code);
    if (cells.length === 0) rows.push({ country, position: null, statement: null });
    for (const cell of cells) {
      for (const statement of cell.statements) {
        rows.push({ country, position: positions.get(cell.position), statement });
      }
    }
  }
  return rows;
}

/** CSV text of the matrix (RFC 4180, CRLF line ends, header first). */
export function toCSV(data, origin = "") {
  const lines = [CSV_COLUMNS.join(",")];
  for (const { country, position, statement: s } of matrixRows(data)) {
    const quotes = s ? s.quotes : [];
    const values = s
      ? [
          country.code, country.label, position.notation, position.label, s.text, s.negated,
          s.target_label, s.scope_label, s.quantifier, s.quantifier_text, s.level,
          quotes.map((q) => q.quote).join(" || "),
          [...new Set(quotes.map((q) => q.source_title))].join(" || "),
          quotes.map((q) => q.line ?? "").join(" || "),
          quotes.map((q) => origin + q.href).join(" || "),
        ]
      : [country.code, country.label, "", "", data.no_assessment, "", "", "", "", "", "", "", "", "", ""];
    lines.push(values.map(csvField).join(","));
  }
  return lines.join("\r\n") + "\r\n";
}

/** Column heading of a position: "4a digital job matching" for a modality, else "1 uncritical extender". */
export function shortLabel(position) {
  const label = position.broader ? position.label.split(": ").slice(1).join(": ") || position.label : position.label;
  return `${position.notation} ${label}`;
}

/** Split text into lines of at most `width` characters (at spaces). */
function wrap(text, width) {
  const out = [];
  let line = "";
  for (const word of String(text).split(/\s+/)) {
    if (line && (line + " " + word).length > width) {
      out.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) out.push(line);
  return out;
}

const COLOURS = { pos: "#1b7a3a", neg: "#b3261e", empty: "#6b6b6b", grid: "#c8c8c8", head: "#f2f2ef" };

/** The matrix as an SVG figure: title, subtitle (coverage), grid, key and source line. */
export function toSVG(data, { title = "The SIRIUS typology compared", subtitle } = {}) {
  const positions = data.positions;
  const countries = data.countries;
  const rowHead = 170;
  const colW = 138;
  const pad = 24;
  const lineH = 14;
  const width = pad * 2 + rowHead + colW * positions.length;
  const cellLines = (cell) =>
    cell.statements.flatMap((s) => {
      const head = `${s.negated ? "− not" : "+"} ${s.quantifier_text !== "-" ? `“${s.quantifier_text}”` : s.target_label}`;
      return [
        { text: wrap(head, 24), kind: s.negated ? "neg" : "pos" },
        { text: wrap(s.scope === "organisation" ? "named organisation" : "group-level", 24), kind: "meta" },
      ];
    });
  const headLines = positions.map((p) => wrap(shortLabel(p), 20));
  const headH = Math.max(...headLines.map((l) => l.length)) * lineH + 12;
  const rows = countries.map((c) => {
    const cells = positions.map((p) => data.cells.find((x) => x.country === c.code && x.position === p.id) || null);
    const heights = cells.map((cell) => (cell ? cellLines(cell).reduce((n, b) => n + b.text.length, 0) : 1));
    const label = wrap(c.label, 22);
    return { country: c, cells, height: Math.max(label.length, ...heights) * lineH + 14, label };
  });
  const top = pad + 56;
  const gridH = headH + rows.reduce((n, r) => n + r.height, 0);
  const height = top + gridH + 86;
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="Arial, Helvetica, sans-serif">`,
    `<rect width="100%" height="100%" fill="#ffffff"/>`,
    `<text x="${pad}" y="${pad + 16}" font-size="20" font-weight="bold" fill="#1a1a1a">${xml(title)}</text>`,
    `<text x="${pad}" y="${pad + 38}" font-size="12" fill="#444">${xml(subtitle || data.coverage)}</text>`,
  ];
  const x0 = pad;
  let y = top;
  parts.push(`<rect x="${x0}" y="${y}" width="${width - 2 * pad}" height="${headH}" fill="${COLOURS.head}"/>`);
  parts.push(`<text x="${x0 + 6}" y="${y + 16}" font-size="12" font-weight="bold">Country</text>`);
  positions.forEach((p, i) => {
    const x = x0 + rowHead + i * colW;
    headLines[i].forEach((t, k) =>
      parts.push(`<text x="${x + 6}" y="${y + 16 + k * lineH}" font-size="11" font-weight="bold">${xml(t)}</text>`),
    );
  });
  y += headH;
  for (const row of rows) {
    parts.push(`<line x1="${x0}" x2="${width - pad}" y1="${y}" y2="${y}" stroke="${COLOURS.grid}"/>`);
    row.label.forEach((t, k) =>
      parts.push(`<text x="${x0 + 6}" y="${y + 16 + k * lineH}" font-size="12" font-weight="bold">${xml(t)}</text>`),
    );
    if (!row.country.assessed) {
      parts.push(
        `<text x="${x0 + rowHead + 6}" y="${y + 16}" font-size="11" font-style="italic" fill="${COLOURS.empty}">${xml(data.no_assessment)}</text>`,
      );
    } else {
      row.cells.forEach((cell, i) => {
        const x = x0 + rowHead + i * colW;
        if (!cell) {
          parts.push(`<text x="${x + 6}" y="${y + 16}" font-size="10" fill="#9a9a9a">not stated</text>`);
          return;
        }
        let k = 0;
        for (const block of cellLines(cell)) {
          const fill = block.kind === "meta" ? COLOURS.empty : COLOURS[block.kind];
          const weight = block.kind === "meta" ? "normal" : "bold";
          for (const t of block.text) {
            parts.push(`<text x="${x + 6}" y="${y + 16 + k * lineH}" font-size="11" font-weight="${weight}" fill="${fill}">${xml(t)}</text>`);
            k += 1;
          }
        }
      });
    }
    y += row.height;
  }
  parts.push(`<line x1="${x0}" x2="${width - pad}" y1="${y}" y2="${y}" stroke="${COLOURS.grid}"/>`);
  // Column lines, interrupted across a country row with no assessment (its note spans the row).
  let segTop = top;
  let rowY = top + headH;
  const columnLines = (from, to, all) =>
    positions.forEach((_, i) => {
      if (i > 0 && !all) return;
      const x = x0 + rowHead + i * colW;
      parts.push(`<line x1="${x}" x2="${x}" y1="${from}" y2="${to}" stroke="${COLOURS.grid}"/>`);
    });
  for (const row of rows) {
    if (!row.country.assessed) {
      columnLines(segTop, rowY, true);
      columnLines(rowY, rowY + row.height, false);
      segTop = rowY + row.height;
    }
    rowY += row.height;
  }
  columnLines(segTop, y, true);
  const key = [
    [`+`, COLOURS.pos, "placed in this position by the report"],
    [`− not`, COLOURS.neg, "said not to be in this position"],
    [`group-level`, COLOURS.empty, "about a group of CSOs as worded, not each member"],
  ];
  let kx = pad;
  for (const [mark, colour, text] of key) {
    parts.push(`<text x="${kx}" y="${y + 24}" font-size="11"><tspan font-weight="bold" fill="${colour}">${xml(mark)}</tspan> ${xml(text)}</text>`);
    kx += 60 + text.length * 5.6;
  }
  const titles = [...new Set(data.cells.flatMap((c) => c.statements.flatMap((s) => s.quotes.map((q) => q.source_title))))];
  parts.push(
    `<text x="${pad}" y="${y + 46}" font-size="10" fill="#444">${xml(`Source: ${titles.join("; ")}. Quotes and lines: /typology.`)}</text>`,
  );
  parts.push(
    `<text x="${pad}" y="${y + 62}" font-size="10" fill="#444">${xml("Integration knowledge graph · typology-matrix query")}</text>`,
  );
  parts.push("</svg>");
  return parts.join("\n");
}

/** The SVG figure rasterised at `scale` (PNG Blob). */
export async function toPNG(svgText, scale = 2) {
  const url = URL.createObjectURL(new Blob([svgText], { type: "image/svg+xml" }));
  try {
    const img = new Image();
    img.src = url;
    await img.decode();
    const canvas = document.createElement("canvas");
    canvas.width = img.width * scale;
    canvas.height = img.height * scale;
    const ctx = canvas.getContext("2d");
    ctx.scale(scale, scale);
    ctx.drawImage(img, 0, 0);
    return await new Promise((resolve) => canvas.toBlob(resolve, "image/png"));
  } finally {
    URL.revokeObjectURL(url);
  }
}
