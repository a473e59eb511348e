// Builds small .docx and .odt files in the tests (zipped with fflate, as the loader reads them),
// from a list of blocks, so each test states the structure it expects back.
import { strToU8, zipSync } from "fflate";

export type TestBlock =
  | { h: number; text: string }
  | { p: string; bold?: boolean }
  | { li: string; depth?: number }
  | { table: string[][]; header?: boolean };

const escapeXml = (text: string) =>
  text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

const W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"';

function docxRun(text: string, bold = false): string {
  return `<w:r>${bold ? "<w:rPr><w:b/></w:rPr>" : ""}<w:t xml:space="preserve">${escapeXml(text)}</w:t></w:r>`;
}

function docxParagraph(block: TestBlock): string {
  if ("h" in block) {
    const style = block.h === 0 ? "Title" : `Titolo${block.h}`;
    return `<w:p><w:pPr><w:pStyle w:val="${style}"/></w:pPr>${docxRun(block.text)}</w:p>`;
  }
  if ("li" in block) {
    return `<w:p><w:pPr><w:pStyle w:val="Paragrafoelenco"/><w:numPr><w:ilvl w:val="${block.depth ?? 0}"/><w:numId w:val="1"/></w:numPr></w:pPr>${docxRun(block.li)}</w:p>`;
  }
  if ("p" in block) {
    // A run split in two, as Word does at every formatting change.
    const cut = Math.floor(block.p.length / 2);
    return `<w:p>${docxRun(block.p.slice(0, cut), block.bold)}${docxRun(block.p.slice(cut), block.bold)}</w:p>`;
  }
  const rows = block.table
    .map((cells, r) => {
      const trPr = r === 0 && block.header ? "<w:trPr><w:tblHeader/></w:trPr>" : "";
      const tcs = cells.map((cell) => `<w:tc><w:p>${docxRun(cell)}</w:p></w:tc>`).join("");
      return `<w:tr>${trPr}${tcs}</w:tr>`;
    })
    .join("");
  return `<w:tbl><w:tblPr/>${rows}</w:tbl>`;
}

/** A .docx whose headings use the Italian Word style ids (Titolo1 = "heading 1"). */
export function buildDocx(blocks: TestBlock[], title?: string): Uint8Array {
  const styles = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:styles ${W}>
  <w:style w:type="paragraph" w:styleId="Normale"><w:name w:val="Normal"/></w:style>
  <w:style w:type="paragraph" w:styleId="Title"><w:name w:val="Title"/></w:style>
  <w:style w:type="paragraph" w:styleId="Titolo1"><w:name w:val="heading 1"/><w:basedOn w:val="Normale"/><w:pPr><w:outlineLvl w:val="0"/></w:pPr></w:style>
  <w:style w:type="paragraph" w:styleId="Titolo2"><w:name w:val="heading 2"/><w:basedOn w:val="Normale"/><w:pPr><w:outlineLvl w:val="1"/></w:pPr></w:style>
  <w:style w:type="paragraph" w:styleId="Titolo3"><w:name w:val="heading 3"/><w:basedOn w:val="Normale"/></w:style>
  <w:style w:type="paragraph" w:styleId="Paragrafoelenco"><w:name w:val="List Paragraph"/></w:style>
</w:styles>`;
  const document = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document ${W}><w:body>${blocks.map(docxParagraph).join("\n")}<w:sectPr/></w:body></w:document>`;
  const core = `<?xml version="1.0" encoding="UTF-8"?>
<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>${escapeXml(title ?? "")}</dc:title></cp:coreProperties>`;
  return zipSync({
    "[Content_Types].xml": strToU8(
      '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>',
    ),
    "word/document.xml": strToU8(document),
    "word/styles.xml": strToU8(styles),
    ...(title ? { "docProps/core.xml": strToU8(core) } : {}),
  });
}

const ODF_NS = [
  'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"',
  'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"',
  'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"',
  'xmlns:dc="http://purl.org/dc/elements/1.1/"',
  'xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0"',
].join(" ");

function odtBlock(block: TestBlock): string {
  if ("h" in block) {
    return `<text:h text:outline-level="${block.h}">${escapeXml(block.text)}</text:h>`;
  }
  if ("li" in block) {
    let item = `<text:list-item><text:p>${escapeXml(block.li)}</text:p></text:list-item>`;
    for (let d = 0; d < (block.depth ?? 0); d++) {
      item = `<text:list-item><text:list>${item}</text:list></text:list-item>`;
    }
    return `<text:list>${item}</text:list>`;
  }
  if ("p" in block) {
    // A double space written as <text:s/>, as LibreOffice does.
    return `<text:p>${escapeXml(block.p).replace("  ", " <text:s/>")}</text:p>`;
  }
  const row = (cells: string[]) =>
    `<table:table-row>${cells.map((c) => `<table:table-cell><text:p>${escapeXml(c)}</text:p></table:table-cell>`).join("")}</table:table-row>`;
  const [first, ...rest] = block.table;
  const head =
    block.header && first
      ? `<table:table-header-rows>${row(first)}</table:table-header-rows>${rest.map(row).join("")}`
      : block.table.map(row).join("");
  return `<table:table table:name="T">${head}</table:table>`;
}

/** An .odt with a table of contents that must not be read as text. */
export function buildOdt(blocks: TestBlock[], title?: string): Uint8Array {
  const content = `<?xml version="1.0" encoding="UTF-8"?>
<office:document-content ${ODF_NS}><office:body><office:text>
<text:table-of-content><text:index-body><text:p>Indice ........ 1</text:p></text:index-body></text:table-of-content>
${blocks.map(odtBlock).join("\n")}
</office:text></office:body></office:document-content>`;
  const meta = `<?xml version="1.0" encoding="UTF-8"?>
<office:document-meta ${ODF_NS}><office:meta><dc:title>${escapeXml(title ?? "")}</dc:title></office:meta></office:document-meta>`;
  return zipSync({
    mimetype: [strToU8("application/vnd.oasis.opendocument.text"), { level: 0 }],
    "content.xml": strToU8(content),
    ...(title ? { "meta.xml": strToU8(meta) } : {}),
  });
}
