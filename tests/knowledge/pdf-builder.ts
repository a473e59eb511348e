// Builds test PDFs with pdf-lib: text placed at given positions in Helvetica (bold or not).
import { degrees, PDFDocument, StandardFonts } from "pdf-lib";

export interface PlacedText {
  text: string;
  x: number;
  y: number;
  size: number;
  bold?: boolean;
}

export interface PdfPage {
  /** Width and height in points; A4 portrait by default. */
  size?: [number, number];
  /**
   * Stored as a portrait page with /Rotate 90 that viewers turn to landscape, as scanners and
   * some word processors save landscape pages: positions stay those of the page as displayed.
   */
  rotated?: boolean;
  lines: PlacedText[];
}

export async function pdfBytes(pages: PdfPage[]): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  const regular = await pdf.embedFont(StandardFonts.Helvetica);
  const bold = await pdf.embedFont(StandardFonts.HelveticaBold);
  for (const spec of pages) {
    const [width, height] = spec.size ?? [595, 842];
    const page = pdf.addPage(spec.rotated ? [height, width] : [width, height]);
    if (spec.rotated) page.setRotation(degrees(90));
    for (const line of spec.lines) {
      // Turned a quarter clockwise on screen: the displayed (x, y) is (height - y, x) stored.
      page.drawText(line.text, {
        x: spec.rotated ? height - line.y : line.x,
        y: spec.rotated ? line.x : line.y,
        size: line.size,
        font: line.bold ? bold : regular,
        ...(spec.rotated ? { rotate: degrees(90) } : {}),
      });
    }
  }
  return pdf.save();
}

/** Words of `text` in lines of at most `width` characters. */
export function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let current = "";
  for (const word of text.split(" ")) {
    if (current && current.length + word.length + 1 > width) {
      lines.push(current);
      current = word;
    } else current = current ? `${current} ${word}` : word;
  }
  if (current) lines.push(current);
  return lines;
}
